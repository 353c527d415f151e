import type { PreviousUpload, UrlStorage } from "tus-js-client";

const prefix = "kino-upload::";

/**
 * tus-js-client's resume records, kept in sessionStorage rather than its
 * default localStorage: they survive a reload of the tab, but an upload URL
 * (a capability) does not outlive the tab or spread to other ones.
 */
export const sessionUrlStorage: UrlStorage = {
  async findAllUploads() {
    return this.findUploadsByFingerprint("");
  },
  async findUploadsByFingerprint(fingerprint) {
    const found: PreviousUpload[] = [];
    for (let i = 0; i < sessionStorage.length; i++) {
      const key = sessionStorage.key(i);
      if (!key?.startsWith(`${prefix}${fingerprint}`)) continue;
      try {
        found.push({ ...(JSON.parse(sessionStorage.getItem(key) ?? "") as PreviousUpload), urlStorageKey: key });
      } catch {
        sessionStorage.removeItem(key); // unreadable: nothing to resume from
      }
    }
    return found;
  },
  async removeUpload(urlStorageKey) {
    sessionStorage.removeItem(urlStorageKey);
  },
  async addUpload(fingerprint, upload) {
    const key = `${prefix}${fingerprint}::${Date.now()}`;
    sessionStorage.setItem(key, JSON.stringify(upload));
    return key;
  },
};
