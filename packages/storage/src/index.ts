export type { ByteRange, GetOptions, GetResult, ObjectInfo, PutOptions, Storage } from "./storage.ts";
export { StorageError, toKinoError, type StorageErrorCode } from "./errors.ts";
export {
  imageKey,
  mediaKey,
  mediaPrefix,
  rawKey,
  rawPrefix,
  uploadKey,
  uploadPrefix,
  validateKey,
  validatePrefix,
  type KeyRoot,
} from "./keys.ts";
export { createLocalStorage, type LocalStorageOptions } from "./local-driver.ts";
export { createS3Storage, type S3StorageOptions } from "./s3-driver.ts";
export {
  createStorage,
  storageConfigSchema,
  storageFromConfig,
  type LocalStorageConfig,
  type S3StorageConfig,
  type StorageConfig,
  type StorageEnvConfig,
} from "./create-storage.ts";
