import { randomBytes, scrypt, type ScryptOptions, timingSafeEqual } from 'node:crypto';

/**
 * scrypt at N=2^17, r=8 (OWASP's recommendation) costs 128 MB and a few hundred milliseconds per
 * guess: fine for one sign-in, expensive for anyone trying a stolen hash against a dictionary.
 * PASSWORD_SCRYPT_N lowers it only where that is worth less than the time (test runs).
 */
export const DEFAULT_SCRYPT_N = 1 << 17;
const R = 8;
const P = 1;
const KEY_LEN = 32;

interface Params {
  N: number;
  r: number;
  p: number;
}

function derive(password: string, salt: Buffer, params: Params): Promise<Buffer> {
  // 128 * N * r bytes, and some room: Node refuses a derivation that needs more than maxmem.
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LEN, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/**
 * Password hashes as `scrypt$N$r$p$salt$hash` (base64url). Each hash records its parameters, so
 * hashes made with older ones still verify, and are replaced at the next successful sign-in
 * (needsRehash).
 */
export class PasswordHasher {
  private readonly params: Params;
  private decoy: Promise<string> | undefined;

  constructor(N = DEFAULT_SCRYPT_N) {
    this.params = { N, r: R, p: P };
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await derive(password, salt, this.params);
    return ['scrypt', this.params.N, this.params.r, this.params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const [scheme, n, r, p, salt, hash] = stored.split('$');
    if (scheme !== 'scrypt' || !hash) return false;
    const expected = Buffer.from(hash, 'base64url');
    const key = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
    return key.length === expected.length && timingSafeEqual(key, expected);
  }

  /** Whether a stored hash was made with other parameters than this hasher's. */
  needsRehash(stored: string): boolean {
    const [scheme, n, r, p] = stored.split('$');
    return scheme !== 'scrypt' || Number(n) !== this.params.N || Number(r) !== this.params.r || Number(p) !== this.params.p;
  }

  /**
   * A hash of nothing anyone knows: checked against when the email is unknown, so "no such
   * account" takes as long as "wrong password" and the timing doesn't reveal who has an account.
   */
  decoyHash(): Promise<string> {
    this.decoy ??= this.hash(randomBytes(16).toString('hex'));
    return this.decoy;
  }
}
