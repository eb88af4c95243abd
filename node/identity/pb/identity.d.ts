import type { Codec, DecodeOptions } from 'protons-runtime';
import type { Uint8ArrayList } from 'uint8arraylist';
export interface IdentityKeys {
    ed25519Seed: Uint8Array<ArrayBuffer>;
    dhPrivateKey: Uint8Array<ArrayBuffer>;
    prekeyId: number;
    prekeyPrivateKey: Uint8Array<ArrayBuffer>;
    prekeySignature: Uint8Array<ArrayBuffer>;
    createdAt: bigint;
}
export declare namespace IdentityKeys {
    const codec: () => Codec<IdentityKeys>;
    interface IdentityKeysEd25519SeedFieldEvent {
        field: '$.ed25519Seed';
        value: Uint8Array<ArrayBuffer>;
    }
    interface IdentityKeysDhPrivateKeyFieldEvent {
        field: '$.dhPrivateKey';
        value: Uint8Array<ArrayBuffer>;
    }
    interface IdentityKeysPrekeyIdFieldEvent {
        field: '$.prekeyId';
        value: number;
    }
    interface IdentityKeysPrekeyPrivateKeyFieldEvent {
        field: '$.prekeyPrivateKey';
        value: Uint8Array<ArrayBuffer>;
    }
    interface IdentityKeysPrekeySignatureFieldEvent {
        field: '$.prekeySignature';
        value: Uint8Array<ArrayBuffer>;
    }
    interface IdentityKeysCreatedAtFieldEvent {
        field: '$.createdAt';
        value: bigint;
    }
    function encode(obj: Partial<IdentityKeys>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<IdentityKeys>): IdentityKeys;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<IdentityKeys>): Generator<IdentityKeysEd25519SeedFieldEvent | IdentityKeysDhPrivateKeyFieldEvent | IdentityKeysPrekeyIdFieldEvent | IdentityKeysPrekeyPrivateKeyFieldEvent | IdentityKeysPrekeySignatureFieldEvent | IdentityKeysCreatedAtFieldEvent>;
}
export interface EncryptedKeys {
    salt: Uint8Array<ArrayBuffer>;
    logN: number;
    r: number;
    p: number;
    nonce: Uint8Array<ArrayBuffer>;
    ciphertext: Uint8Array<ArrayBuffer>;
}
export declare namespace EncryptedKeys {
    const codec: () => Codec<EncryptedKeys>;
    interface EncryptedKeysSaltFieldEvent {
        field: '$.salt';
        value: Uint8Array<ArrayBuffer>;
    }
    interface EncryptedKeysLogNFieldEvent {
        field: '$.logN';
        value: number;
    }
    interface EncryptedKeysRFieldEvent {
        field: '$.r';
        value: number;
    }
    interface EncryptedKeysPFieldEvent {
        field: '$.p';
        value: number;
    }
    interface EncryptedKeysNonceFieldEvent {
        field: '$.nonce';
        value: Uint8Array<ArrayBuffer>;
    }
    interface EncryptedKeysCiphertextFieldEvent {
        field: '$.ciphertext';
        value: Uint8Array<ArrayBuffer>;
    }
    function encode(obj: Partial<EncryptedKeys>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<EncryptedKeys>): EncryptedKeys;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<EncryptedKeys>): Generator<EncryptedKeysSaltFieldEvent | EncryptedKeysLogNFieldEvent | EncryptedKeysRFieldEvent | EncryptedKeysPFieldEvent | EncryptedKeysNonceFieldEvent | EncryptedKeysCiphertextFieldEvent>;
}
export interface IdentityFile {
    version: number;
    plain?: IdentityKeys;
    encrypted?: EncryptedKeys;
}
export declare namespace IdentityFile {
    const codec: () => Codec<IdentityFile>;
    interface IdentityFileVersionFieldEvent {
        field: '$.version';
        value: number;
    }
    interface IdentityFilePlainEd25519SeedFieldEvent {
        field: '$.plain.ed25519Seed';
        value: Uint8Array<ArrayBuffer>;
    }
    interface IdentityFilePlainDhPrivateKeyFieldEvent {
        field: '$.plain.dhPrivateKey';
        value: Uint8Array<ArrayBuffer>;
    }
    interface IdentityFilePlainPrekeyIdFieldEvent {
        field: '$.plain.prekeyId';
        value: number;
    }
    interface IdentityFilePlainPrekeyPrivateKeyFieldEvent {
        field: '$.plain.prekeyPrivateKey';
        value: Uint8Array<ArrayBuffer>;
    }
    interface IdentityFilePlainPrekeySignatureFieldEvent {
        field: '$.plain.prekeySignature';
        value: Uint8Array<ArrayBuffer>;
    }
    interface IdentityFilePlainCreatedAtFieldEvent {
        field: '$.plain.createdAt';
        value: bigint;
    }
    interface IdentityFileEncryptedSaltFieldEvent {
        field: '$.encrypted.salt';
        value: Uint8Array<ArrayBuffer>;
    }
    interface IdentityFileEncryptedLogNFieldEvent {
        field: '$.encrypted.logN';
        value: number;
    }
    interface IdentityFileEncryptedRFieldEvent {
        field: '$.encrypted.r';
        value: number;
    }
    interface IdentityFileEncryptedPFieldEvent {
        field: '$.encrypted.p';
        value: number;
    }
    interface IdentityFileEncryptedNonceFieldEvent {
        field: '$.encrypted.nonce';
        value: Uint8Array<ArrayBuffer>;
    }
    interface IdentityFileEncryptedCiphertextFieldEvent {
        field: '$.encrypted.ciphertext';
        value: Uint8Array<ArrayBuffer>;
    }
    function encode(obj: Partial<IdentityFile>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<IdentityFile>): IdentityFile;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<IdentityFile>): Generator<IdentityFileVersionFieldEvent | IdentityFilePlainEd25519SeedFieldEvent | IdentityFilePlainDhPrivateKeyFieldEvent | IdentityFilePlainPrekeyIdFieldEvent | IdentityFilePlainPrekeyPrivateKeyFieldEvent | IdentityFilePlainPrekeySignatureFieldEvent | IdentityFilePlainCreatedAtFieldEvent | IdentityFileEncryptedSaltFieldEvent | IdentityFileEncryptedLogNFieldEvent | IdentityFileEncryptedRFieldEvent | IdentityFileEncryptedPFieldEvent | IdentityFileEncryptedNonceFieldEvent | IdentityFileEncryptedCiphertextFieldEvent>;
}
