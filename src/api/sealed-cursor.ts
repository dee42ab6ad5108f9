import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Paging cursors sealed with AES-256-GCM: opaque to the client (a position in an index names a
 * comment and its time, possibly another site's, when a page ends on comments the caller may
 * not see) and bound to one scope (the caller's site) as associated data, so a cursor issued to
 * one site's key is refused from another's. The key is derived from a secret every API process
 * shares; cursors are short-lived, so changing that secret only ends the pages being turned.
 */
export class CursorSeal {
  private readonly key: Buffer;

  constructor(secret: string, purpose: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'decorum', `cursor:${purpose}`, 32));
  }

  seal(plain: string, scope: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(scope));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** The sealed text, or null for anything this seal did not issue for `scope`. */
  open(sealed: string, scope: string): string | null {
    const raw = Buffer.from(sealed, 'base64url');
    if (raw.length < 29) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(scope));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }
}
