import { decodeMessage, encodeMessage, message, streamMessage } from 'protons-runtime';
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc';
export var IdentityKeys;
(function (IdentityKeys) {
    let _codec;
    IdentityKeys.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.ed25519Seed != null && obj.ed25519Seed.byteLength > 0)) {
                    w.uint32(10);
                    w.bytes(obj.ed25519Seed);
                }
                if ((obj.dhPrivateKey != null && obj.dhPrivateKey.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.dhPrivateKey);
                }
                if ((obj.prekeyId != null && obj.prekeyId !== 0)) {
                    w.uint32(24);
                    w.uint32(obj.prekeyId);
                }
                if ((obj.prekeyPrivateKey != null && obj.prekeyPrivateKey.byteLength > 0)) {
                    w.uint32(34);
                    w.bytes(obj.prekeyPrivateKey);
                }
                if ((obj.prekeySignature != null && obj.prekeySignature.byteLength > 0)) {
                    w.uint32(42);
                    w.bytes(obj.prekeySignature);
                }
                if ((obj.createdAt != null && obj.createdAt !== 0n)) {
                    w.uint32(48);
                    w.uint64(obj.createdAt);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    ed25519Seed: uint8ArrayAlloc(0),
                    dhPrivateKey: uint8ArrayAlloc(0),
                    prekeyId: 0,
                    prekeyPrivateKey: uint8ArrayAlloc(0),
                    prekeySignature: uint8ArrayAlloc(0),
                    createdAt: 0n
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.ed25519Seed = reader.bytes();
                            break;
                        }
                        case 2: {
                            obj.dhPrivateKey = reader.bytes();
                            break;
                        }
                        case 3: {
                            obj.prekeyId = reader.uint32();
                            break;
                        }
                        case 4: {
                            obj.prekeyPrivateKey = reader.bytes();
                            break;
                        }
                        case 5: {
                            obj.prekeySignature = reader.bytes();
                            break;
                        }
                        case 6: {
                            obj.createdAt = reader.uint64();
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.ed25519Seed`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.dhPrivateKey`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.prekeyId`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 4: {
                            yield {
                                field: `${prefix}.prekeyPrivateKey`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 5: {
                            yield {
                                field: `${prefix}.prekeySignature`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 6: {
                            yield {
                                field: `${prefix}.createdAt`,
                                value: reader.uint64()
                            };
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, IdentityKeys.codec());
    }
    IdentityKeys.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, IdentityKeys.codec(), opts);
    }
    IdentityKeys.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, IdentityKeys.codec(), opts);
    }
    IdentityKeys.stream = stream;
})(IdentityKeys || (IdentityKeys = {}));
export var EncryptedKeys;
(function (EncryptedKeys) {
    let _codec;
    EncryptedKeys.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.salt != null && obj.salt.byteLength > 0)) {
                    w.uint32(10);
                    w.bytes(obj.salt);
                }
                if ((obj.logN != null && obj.logN !== 0)) {
                    w.uint32(16);
                    w.uint32(obj.logN);
                }
                if ((obj.r != null && obj.r !== 0)) {
                    w.uint32(24);
                    w.uint32(obj.r);
                }
                if ((obj.p != null && obj.p !== 0)) {
                    w.uint32(32);
                    w.uint32(obj.p);
                }
                if ((obj.nonce != null && obj.nonce.byteLength > 0)) {
                    w.uint32(42);
                    w.bytes(obj.nonce);
                }
                if ((obj.ciphertext != null && obj.ciphertext.byteLength > 0)) {
                    w.uint32(50);
                    w.bytes(obj.ciphertext);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    salt: uint8ArrayAlloc(0),
                    logN: 0,
                    r: 0,
                    p: 0,
                    nonce: uint8ArrayAlloc(0),
                    ciphertext: uint8ArrayAlloc(0)
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.salt = reader.bytes();
                            break;
                        }
                        case 2: {
                            obj.logN = reader.uint32();
                            break;
                        }
                        case 3: {
                            obj.r = reader.uint32();
                            break;
                        }
                        case 4: {
                            obj.p = reader.uint32();
                            break;
                        }
                        case 5: {
                            obj.nonce = reader.bytes();
                            break;
                        }
                        case 6: {
                            obj.ciphertext = reader.bytes();
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.salt`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.logN`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.r`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 4: {
                            yield {
                                field: `${prefix}.p`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 5: {
                            yield {
                                field: `${prefix}.nonce`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 6: {
                            yield {
                                field: `${prefix}.ciphertext`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, EncryptedKeys.codec());
    }
    EncryptedKeys.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, EncryptedKeys.codec(), opts);
    }
    EncryptedKeys.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, EncryptedKeys.codec(), opts);
    }
    EncryptedKeys.stream = stream;
})(EncryptedKeys || (EncryptedKeys = {}));
export var IdentityFile;
(function (IdentityFile) {
    let _codec;
    IdentityFile.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.version != null && obj.version !== 0)) {
                    w.uint32(8);
                    w.uint32(obj.version);
                }
                if (obj.plain != null) {
                    w.uint32(18);
                    IdentityKeys.codec().encode(obj.plain, w);
                }
                if (obj.encrypted != null) {
                    w.uint32(26);
                    EncryptedKeys.codec().encode(obj.encrypted, w);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    version: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.version = reader.uint32();
                            break;
                        }
                        case 2: {
                            obj.plain = IdentityKeys.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.plain
                            });
                            break;
                        }
                        case 3: {
                            obj.encrypted = EncryptedKeys.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.encrypted
                            });
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.version`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 2: {
                            yield* IdentityKeys.codec().stream(reader, reader.uint32(), `${prefix}.plain`, {
                                limits: opts.limits?.plain
                            });
                            break;
                        }
                        case 3: {
                            yield* EncryptedKeys.codec().stream(reader, reader.uint32(), `${prefix}.encrypted`, {
                                limits: opts.limits?.encrypted
                            });
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
            });
        }
        return _codec;
    };
    function encode(obj) {
        return encodeMessage(obj, IdentityFile.codec());
    }
    IdentityFile.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, IdentityFile.codec(), opts);
    }
    IdentityFile.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, IdentityFile.codec(), opts);
    }
    IdentityFile.stream = stream;
})(IdentityFile || (IdentityFile = {}));
