// The Signer interface: a certificate chain and a signature operation. An HSM or a remote
// signing service implements the same interface; KeySigner is the in-process implementation.
import { sign as cryptoSign, type KeyObject } from "node:crypto";

export interface Signer {
  /** DER certificates: the signer's first, then its issuers (the root may be omitted). */
  readonly certificateChain: Uint8Array[];
  /** "rsa" → sha256WithRSA PKCS#1 v1.5; "ec" → ECDSA with SHA-256 (DER signature). */
  readonly keyType: "rsa" | "ec";
  /**
   * Signs `data` (the DER signed attributes of the CMS) with SHA-256. A service that only
   * signs digests hashes `data` itself.
   */
  sign(data: Uint8Array): Promise<Uint8Array>;
}

export class KeySigner implements Signer {
  readonly keyType: "rsa" | "ec";
  constructor(
    private readonly privateKey: KeyObject,
    readonly certificateChain: Uint8Array[],
  ) {
    const t = privateKey.asymmetricKeyType;
    if (t !== "rsa" && t !== "ec") throw new Error(`unsupported key type ${t}`);
    this.keyType = t;
  }

  async sign(data: Uint8Array): Promise<Uint8Array> {
    return new Uint8Array(cryptoSign("sha256", data, this.privateKey));
  }
}

/** Serializes async work per key (e.g. per document) inside one process. */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await next;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
