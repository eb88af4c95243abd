import { decodeMessage, encodeMessage, MaxLengthError, message, streamMessage } from 'protons-runtime';
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc';
export var SessionInitState;
(function (SessionInitState) {
    let _codec;
    SessionInitState.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.identityDhKey != null && obj.identityDhKey.byteLength > 0)) {
                    w.uint32(10);
                    w.bytes(obj.identityDhKey);
                }
                if ((obj.ephemeralKey != null && obj.ephemeralKey.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.ephemeralKey);
                }
                if ((obj.prekeyId != null && obj.prekeyId !== 0)) {
                    w.uint32(24);
                    w.uint32(obj.prekeyId);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    identityDhKey: uint8ArrayAlloc(0),
                    ephemeralKey: uint8ArrayAlloc(0),
                    prekeyId: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.identityDhKey = reader.bytes();
                            break;
                        }
                        case 2: {
                            obj.ephemeralKey = reader.bytes();
                            break;
                        }
                        case 3: {
                            obj.prekeyId = reader.uint32();
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
                                field: `${prefix}.identityDhKey`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.ephemeralKey`,
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
        return encodeMessage(obj, SessionInitState.codec());
    }
    SessionInitState.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, SessionInitState.codec(), opts);
    }
    SessionInitState.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, SessionInitState.codec(), opts);
    }
    SessionInitState.stream = stream;
})(SessionInitState || (SessionInitState = {}));
export var SkippedMessageKey;
(function (SkippedMessageKey) {
    let _codec;
    SkippedMessageKey.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.ratchetKey != null && obj.ratchetKey.byteLength > 0)) {
                    w.uint32(10);
                    w.bytes(obj.ratchetKey);
                }
                if ((obj.n != null && obj.n !== 0)) {
                    w.uint32(16);
                    w.uint32(obj.n);
                }
                if ((obj.messageKey != null && obj.messageKey.byteLength > 0)) {
                    w.uint32(26);
                    w.bytes(obj.messageKey);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    ratchetKey: uint8ArrayAlloc(0),
                    n: 0,
                    messageKey: uint8ArrayAlloc(0)
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.ratchetKey = reader.bytes();
                            break;
                        }
                        case 2: {
                            obj.n = reader.uint32();
                            break;
                        }
                        case 3: {
                            obj.messageKey = reader.bytes();
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
                                field: `${prefix}.ratchetKey`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.n`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.messageKey`,
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
        return encodeMessage(obj, SkippedMessageKey.codec());
    }
    SkippedMessageKey.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, SkippedMessageKey.codec(), opts);
    }
    SkippedMessageKey.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, SkippedMessageKey.codec(), opts);
    }
    SkippedMessageKey.stream = stream;
})(SkippedMessageKey || (SkippedMessageKey = {}));
export var SessionState;
(function (SessionState) {
    let _codec;
    SessionState.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.version != null && obj.version !== 0)) {
                    w.uint32(8);
                    w.uint32(obj.version);
                }
                if ((obj.initiator != null && obj.initiator !== false)) {
                    w.uint32(16);
                    w.bool(obj.initiator);
                }
                if ((obj.handshakeId != null && obj.handshakeId.byteLength > 0)) {
                    w.uint32(26);
                    w.bytes(obj.handshakeId);
                }
                if ((obj.associatedData != null && obj.associatedData.byteLength > 0)) {
                    w.uint32(34);
                    w.bytes(obj.associatedData);
                }
                if ((obj.rootKey != null && obj.rootKey.byteLength > 0)) {
                    w.uint32(42);
                    w.bytes(obj.rootKey);
                }
                if ((obj.sendingPrivateKey != null && obj.sendingPrivateKey.byteLength > 0)) {
                    w.uint32(50);
                    w.bytes(obj.sendingPrivateKey);
                }
                if ((obj.sendingPublicKey != null && obj.sendingPublicKey.byteLength > 0)) {
                    w.uint32(58);
                    w.bytes(obj.sendingPublicKey);
                }
                if ((obj.remoteRatchetKey != null && obj.remoteRatchetKey.byteLength > 0)) {
                    w.uint32(66);
                    w.bytes(obj.remoteRatchetKey);
                }
                if ((obj.sendingChainKey != null && obj.sendingChainKey.byteLength > 0)) {
                    w.uint32(74);
                    w.bytes(obj.sendingChainKey);
                }
                if ((obj.receivingChainKey != null && obj.receivingChainKey.byteLength > 0)) {
                    w.uint32(82);
                    w.bytes(obj.receivingChainKey);
                }
                if ((obj.sendCount != null && obj.sendCount !== 0)) {
                    w.uint32(88);
                    w.uint32(obj.sendCount);
                }
                if ((obj.receiveCount != null && obj.receiveCount !== 0)) {
                    w.uint32(96);
                    w.uint32(obj.receiveCount);
                }
                if ((obj.previousSendCount != null && obj.previousSendCount !== 0)) {
                    w.uint32(104);
                    w.uint32(obj.previousSendCount);
                }
                if (obj.pendingInit != null) {
                    w.uint32(114);
                    SessionInitState.codec().encode(obj.pendingInit, w);
                }
                if (obj.skipped != null && obj.skipped.length > 0) {
                    for (const value of obj.skipped) {
                        w.uint32(122);
                        SkippedMessageKey.codec().encode(value, w);
                    }
                }
                if (obj.retiredRatchetKeys != null && obj.retiredRatchetKeys.length > 0) {
                    for (const value of obj.retiredRatchetKeys) {
                        w.uint32(130);
                        w.bytes(value);
                    }
                }
                if ((obj.received != null && obj.received !== false)) {
                    w.uint32(136);
                    w.bool(obj.received);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    version: 0,
                    initiator: false,
                    handshakeId: uint8ArrayAlloc(0),
                    associatedData: uint8ArrayAlloc(0),
                    rootKey: uint8ArrayAlloc(0),
                    sendingPrivateKey: uint8ArrayAlloc(0),
                    sendingPublicKey: uint8ArrayAlloc(0),
                    remoteRatchetKey: uint8ArrayAlloc(0),
                    sendingChainKey: uint8ArrayAlloc(0),
                    receivingChainKey: uint8ArrayAlloc(0),
                    sendCount: 0,
                    receiveCount: 0,
                    previousSendCount: 0,
                    skipped: [],
                    retiredRatchetKeys: [],
                    received: false
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
                            obj.initiator = reader.bool();
                            break;
                        }
                        case 3: {
                            obj.handshakeId = reader.bytes();
                            break;
                        }
                        case 4: {
                            obj.associatedData = reader.bytes();
                            break;
                        }
                        case 5: {
                            obj.rootKey = reader.bytes();
                            break;
                        }
                        case 6: {
                            obj.sendingPrivateKey = reader.bytes();
                            break;
                        }
                        case 7: {
                            obj.sendingPublicKey = reader.bytes();
                            break;
                        }
                        case 8: {
                            obj.remoteRatchetKey = reader.bytes();
                            break;
                        }
                        case 9: {
                            obj.sendingChainKey = reader.bytes();
                            break;
                        }
                        case 10: {
                            obj.receivingChainKey = reader.bytes();
                            break;
                        }
                        case 11: {
                            obj.sendCount = reader.uint32();
                            break;
                        }
                        case 12: {
                            obj.receiveCount = reader.uint32();
                            break;
                        }
                        case 13: {
                            obj.previousSendCount = reader.uint32();
                            break;
                        }
                        case 14: {
                            obj.pendingInit = SessionInitState.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.pendingInit
                            });
                            break;
                        }
                        case 15: {
                            if (opts.limits?.skipped != null && obj.skipped.length === opts.limits.skipped) {
                                throw new MaxLengthError('Decode error - repeated field "skipped" had too many elements');
                            }
                            obj.skipped.push(SkippedMessageKey.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.skipped$
                            }));
                            break;
                        }
                        case 16: {
                            if (opts.limits?.retiredRatchetKeys != null && obj.retiredRatchetKeys.length === opts.limits.retiredRatchetKeys) {
                                throw new MaxLengthError('Decode error - repeated field "retiredRatchetKeys" had too many elements');
                            }
                            obj.retiredRatchetKeys.push(reader.bytes());
                            break;
                        }
                        case 17: {
                            obj.received = reader.bool();
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
                const obj = {
                    skipped: 0,
                    retiredRatchetKeys: 0
                };
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
                            yield {
                                field: `${prefix}.initiator`,
                                value: reader.bool()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.handshakeId`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 4: {
                            yield {
                                field: `${prefix}.associatedData`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 5: {
                            yield {
                                field: `${prefix}.rootKey`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 6: {
                            yield {
                                field: `${prefix}.sendingPrivateKey`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 7: {
                            yield {
                                field: `${prefix}.sendingPublicKey`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 8: {
                            yield {
                                field: `${prefix}.remoteRatchetKey`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 9: {
                            yield {
                                field: `${prefix}.sendingChainKey`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 10: {
                            yield {
                                field: `${prefix}.receivingChainKey`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 11: {
                            yield {
                                field: `${prefix}.sendCount`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 12: {
                            yield {
                                field: `${prefix}.receiveCount`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 13: {
                            yield {
                                field: `${prefix}.previousSendCount`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 14: {
                            yield* SessionInitState.codec().stream(reader, reader.uint32(), `${prefix}.pendingInit`, {
                                limits: opts.limits?.pendingInit
                            });
                            break;
                        }
                        case 15: {
                            if (opts.limits?.skipped != null && obj.skipped === opts.limits.skipped) {
                                throw new MaxLengthError('Streaming decode error - repeated field "skipped" had too many elements');
                            }
                            for (const evt of SkippedMessageKey.codec().stream(reader, reader.uint32(), `${prefix}.skipped[]`, {
                                limits: opts.limits?.skipped$
                            })) {
                                yield {
                                    ...evt,
                                    index: obj.skipped
                                };
                            }
                            obj.skipped++;
                            break;
                        }
                        case 16: {
                            if (opts.limits?.retiredRatchetKeys != null && obj.retiredRatchetKeys === opts.limits.retiredRatchetKeys) {
                                throw new MaxLengthError('Streaming decode error - repeated field "retiredRatchetKeys" had too many elements');
                            }
                            yield {
                                field: `${prefix}.retiredRatchetKeys[]`,
                                index: obj.retiredRatchetKeys,
                                value: reader.bytes()
                            };
                            obj.retiredRatchetKeys++;
                            break;
                        }
                        case 17: {
                            yield {
                                field: `${prefix}.received`,
                                value: reader.bool()
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
        return encodeMessage(obj, SessionState.codec());
    }
    SessionState.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, SessionState.codec(), opts);
    }
    SessionState.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, SessionState.codec(), opts);
    }
    SessionState.stream = stream;
})(SessionState || (SessionState = {}));
