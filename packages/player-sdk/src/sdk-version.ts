/** Reported as sdk_version; kept in step with package.json. */
export const sdkVersion = "0.1.0";
