import { hash, verify, type Algorithm } from "@node-rs/argon2";

// Algorithm is an ambient const enum, which isolated modules cannot read: Argon2id is 2.
const argon2id = 2 as Algorithm.Argon2id;

export interface Argon2Parameters {
  memoryKib: number;
  timeCost: number;
  parallelism: number;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Whether `password` matches; a hash that cannot be read matches nothing. */
  verify(phc: string, password: string): Promise<boolean>;
  /** Whether `phc` was made with other parameters than the current ones. */
  needsRehash(phc: string): boolean;
  /** Costs what a real verification costs, so an unknown email answers as slowly as a known one. */
  burn(password: string): Promise<void>;
}

export function createPasswordHasher(parameters: Argon2Parameters): PasswordHasher {
  const options = {
    algorithm: argon2id,
    memoryCost: parameters.memoryKib,
    timeCost: parameters.timeCost,
    parallelism: parameters.parallelism,
  };
  const current = `$argon2id$v=19$m=${parameters.memoryKib},t=${parameters.timeCost},p=${parameters.parallelism}$`;
  let decoy: Promise<string> | undefined;
  const hasher: PasswordHasher = {
    hash: (password) => hash(password, options),
    async verify(phc, password) {
      try {
        return await verify(phc, password);
      } catch {
        return false;
      }
    },
    needsRehash: (phc) => !phc.startsWith(current),
    async burn(password) {
      decoy ??= hash("decoy password that matches nothing", options);
      await hasher.verify(await decoy, password);
    },
  };
  return hasher;
}
