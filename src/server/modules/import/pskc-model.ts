/**
 * What the PSKC reader keeps of a document (RFC 6030): the container header,
 * read once, and one small record per KeyPackage, handed on as soon as the
 * package closes so that memory stays bounded however many packages follow.
 */

export const DATA_FIELDS = ['Secret', 'Counter', 'Time', 'TimeInterval', 'TimeDrift'] as const;
export type DataField = (typeof DATA_FIELDS)[number];

export interface EncryptedData {
  /** xenc EncryptionMethod@Algorithm URI. */
  algorithm?: string;
  /** base64 of IV || ciphertext (CBC) or of the wrapped key (key wrap). */
  cipherValue?: string;
}

/** A `<Data>` child: `<PlainValue>` or `<EncryptedValue>` with its `<ValueMAC>`. */
export interface PskcValue {
  plain?: string;
  encrypted?: EncryptedData;
  mac?: string;
}

export interface PskcKey {
  id?: string;
  algorithm?: string;
  suite?: string;
  /** A hash named in an attribute (vendor extension) rather than in `<Suite>`. */
  hash?: string;
  responseLength?: string;
  responseEncoding?: string;
  checkDigits?: string;
  friendlyName?: string;
  data: Record<DataField, PskcValue | undefined>;
}

export interface PskcPackage {
  /** 1-based position of the KeyPackage in the document. */
  index: number;
  manufacturer?: string;
  serialNo?: string;
  model?: string;
  keys: PskcKey[];
  /** Set when any value in the package is an `<EncryptedValue>`. */
  encrypted: boolean;
}

export interface Pbkdf2Params {
  algorithm?: string;
  salt?: string;
  iterations?: string;
  keyLength?: string;
  prf?: string;
}

export interface PskcHeader {
  /** Set when the container has an `<EncryptionKey>` element. */
  encryptionKey: boolean;
  keyNames: string[];
  derivation?: Pbkdf2Params;
  macAlgorithm?: string;
  macKey?: EncryptedData;
}

/** A fixed shape for every key's data, so that the many small records stay fast to build. */
export function emptyData(): PskcKey['data'] {
  return { Secret: undefined, Counter: undefined, Time: undefined, TimeInterval: undefined, TimeDrift: undefined };
}
