import { decodeMessage, encodeMessage, MaxLengthError, message, streamMessage } from 'protons-runtime';
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc';
export var SessionInit;
(function (SessionInit) {
    let _codec;
    SessionInit.codec = () => {
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
        return encodeMessage(obj, SessionInit.codec());
    }
    SessionInit.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, SessionInit.codec(), opts);
    }
    SessionInit.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, SessionInit.codec(), opts);
    }
    SessionInit.stream = stream;
})(SessionInit || (SessionInit = {}));
export var RatchetHeader;
(function (RatchetHeader) {
    let _codec;
    RatchetHeader.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.ratchetKey != null && obj.ratchetKey.byteLength > 0)) {
                    w.uint32(10);
                    w.bytes(obj.ratchetKey);
                }
                if ((obj.previousChainLength != null && obj.previousChainLength !== 0)) {
                    w.uint32(16);
                    w.uint32(obj.previousChainLength);
                }
                if ((obj.messageNumber != null && obj.messageNumber !== 0)) {
                    w.uint32(24);
                    w.uint32(obj.messageNumber);
                }
                if (obj.init != null) {
                    w.uint32(34);
                    SessionInit.codec().encode(obj.init, w);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    ratchetKey: uint8ArrayAlloc(0),
                    previousChainLength: 0,
                    messageNumber: 0
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
                            obj.previousChainLength = reader.uint32();
                            break;
                        }
                        case 3: {
                            obj.messageNumber = reader.uint32();
                            break;
                        }
                        case 4: {
                            obj.init = SessionInit.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.init
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
                                field: `${prefix}.ratchetKey`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.previousChainLength`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.messageNumber`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 4: {
                            yield* SessionInit.codec().stream(reader, reader.uint32(), `${prefix}.init`, {
                                limits: opts.limits?.init
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
        return encodeMessage(obj, RatchetHeader.codec());
    }
    RatchetHeader.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, RatchetHeader.codec(), opts);
    }
    RatchetHeader.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, RatchetHeader.codec(), opts);
    }
    RatchetHeader.stream = stream;
})(RatchetHeader || (RatchetHeader = {}));
export var EnvelopeBody;
(function (EnvelopeBody) {
    let _codec;
    EnvelopeBody.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.id != null && obj.id.byteLength > 0)) {
                    w.uint32(10);
                    w.bytes(obj.id);
                }
                if ((obj.sender != null && obj.sender.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.sender);
                }
                if ((obj.recipient != null && obj.recipient.byteLength > 0)) {
                    w.uint32(26);
                    w.bytes(obj.recipient);
                }
                if ((obj.sentAt != null && obj.sentAt !== 0)) {
                    w.uint32(32);
                    w.uint64Number(obj.sentAt);
                }
                if ((obj.seq != null && obj.seq !== 0)) {
                    w.uint32(40);
                    w.uint64Number(obj.seq);
                }
                if ((obj.prevHash != null && obj.prevHash.byteLength > 0)) {
                    w.uint32(50);
                    w.bytes(obj.prevHash);
                }
                if (obj.header != null) {
                    w.uint32(58);
                    RatchetHeader.codec().encode(obj.header, w);
                }
                if ((obj.ciphertext != null && obj.ciphertext.byteLength > 0)) {
                    w.uint32(66);
                    w.bytes(obj.ciphertext);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    id: uint8ArrayAlloc(0),
                    sender: uint8ArrayAlloc(0),
                    recipient: uint8ArrayAlloc(0),
                    sentAt: 0,
                    seq: 0,
                    prevHash: uint8ArrayAlloc(0),
                    ciphertext: uint8ArrayAlloc(0)
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.id = reader.bytes();
                            break;
                        }
                        case 2: {
                            obj.sender = reader.bytes();
                            break;
                        }
                        case 3: {
                            obj.recipient = reader.bytes();
                            break;
                        }
                        case 4: {
                            obj.sentAt = reader.uint64Number();
                            break;
                        }
                        case 5: {
                            obj.seq = reader.uint64Number();
                            break;
                        }
                        case 6: {
                            obj.prevHash = reader.bytes();
                            break;
                        }
                        case 7: {
                            obj.header = RatchetHeader.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.header
                            });
                            break;
                        }
                        case 8: {
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
                                field: `${prefix}.id`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.sender`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.recipient`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 4: {
                            yield {
                                field: `${prefix}.sentAt`,
                                value: reader.uint64Number()
                            };
                            break;
                        }
                        case 5: {
                            yield {
                                field: `${prefix}.seq`,
                                value: reader.uint64Number()
                            };
                            break;
                        }
                        case 6: {
                            yield {
                                field: `${prefix}.prevHash`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 7: {
                            yield* RatchetHeader.codec().stream(reader, reader.uint32(), `${prefix}.header`, {
                                limits: opts.limits?.header
                            });
                            break;
                        }
                        case 8: {
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
        return encodeMessage(obj, EnvelopeBody.codec());
    }
    EnvelopeBody.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, EnvelopeBody.codec(), opts);
    }
    EnvelopeBody.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, EnvelopeBody.codec(), opts);
    }
    EnvelopeBody.stream = stream;
})(EnvelopeBody || (EnvelopeBody = {}));
export var Envelope;
(function (Envelope) {
    let _codec;
    Envelope.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.body != null && obj.body.byteLength > 0)) {
                    w.uint32(10);
                    w.bytes(obj.body);
                }
                if ((obj.signature != null && obj.signature.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.signature);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    body: uint8ArrayAlloc(0),
                    signature: uint8ArrayAlloc(0)
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.body = reader.bytes();
                            break;
                        }
                        case 2: {
                            obj.signature = reader.bytes();
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
                                field: `${prefix}.body`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.signature`,
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
        return encodeMessage(obj, Envelope.codec());
    }
    Envelope.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, Envelope.codec(), opts);
    }
    Envelope.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, Envelope.codec(), opts);
    }
    Envelope.stream = stream;
})(Envelope || (Envelope = {}));
export var AckBody;
(function (AckBody) {
    let _codec;
    AckBody.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.receiver != null && obj.receiver.byteLength > 0)) {
                    w.uint32(10);
                    w.bytes(obj.receiver);
                }
                if ((obj.sender != null && obj.sender.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.sender);
                }
                if (obj.messageIds != null && obj.messageIds.length > 0) {
                    for (const value of obj.messageIds) {
                        w.uint32(26);
                        w.bytes(value);
                    }
                }
                if ((obj.ackedAt != null && obj.ackedAt !== 0)) {
                    w.uint32(32);
                    w.uint64Number(obj.ackedAt);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    receiver: uint8ArrayAlloc(0),
                    sender: uint8ArrayAlloc(0),
                    messageIds: [],
                    ackedAt: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.receiver = reader.bytes();
                            break;
                        }
                        case 2: {
                            obj.sender = reader.bytes();
                            break;
                        }
                        case 3: {
                            if (opts.limits?.messageIds != null && obj.messageIds.length === opts.limits.messageIds) {
                                throw new MaxLengthError('Decode error - repeated field "messageIds" had too many elements');
                            }
                            obj.messageIds.push(reader.bytes());
                            break;
                        }
                        case 4: {
                            obj.ackedAt = reader.uint64Number();
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
                    messageIds: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.receiver`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.sender`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 3: {
                            if (opts.limits?.messageIds != null && obj.messageIds === opts.limits.messageIds) {
                                throw new MaxLengthError('Streaming decode error - repeated field "messageIds" had too many elements');
                            }
                            yield {
                                field: `${prefix}.messageIds[]`,
                                index: obj.messageIds,
                                value: reader.bytes()
                            };
                            obj.messageIds++;
                            break;
                        }
                        case 4: {
                            yield {
                                field: `${prefix}.ackedAt`,
                                value: reader.uint64Number()
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
        return encodeMessage(obj, AckBody.codec());
    }
    AckBody.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, AckBody.codec(), opts);
    }
    AckBody.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, AckBody.codec(), opts);
    }
    AckBody.stream = stream;
})(AckBody || (AckBody = {}));
export var Ack;
(function (Ack) {
    let _codec;
    Ack.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.body != null && obj.body.byteLength > 0)) {
                    w.uint32(10);
                    w.bytes(obj.body);
                }
                if ((obj.signature != null && obj.signature.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.signature);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    body: uint8ArrayAlloc(0),
                    signature: uint8ArrayAlloc(0)
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.body = reader.bytes();
                            break;
                        }
                        case 2: {
                            obj.signature = reader.bytes();
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
                                field: `${prefix}.body`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.signature`,
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
        return encodeMessage(obj, Ack.codec());
    }
    Ack.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, Ack.codec(), opts);
    }
    Ack.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, Ack.codec(), opts);
    }
    Ack.stream = stream;
})(Ack || (Ack = {}));
export var SessionResetBody;
(function (SessionResetBody) {
    let _codec;
    SessionResetBody.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.requester != null && obj.requester.byteLength > 0)) {
                    w.uint32(10);
                    w.bytes(obj.requester);
                }
                if ((obj.sender != null && obj.sender.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.sender);
                }
                if ((obj.envelopeId != null && obj.envelopeId.byteLength > 0)) {
                    w.uint32(26);
                    w.bytes(obj.envelopeId);
                }
                if ((obj.envelopeHash != null && obj.envelopeHash.byteLength > 0)) {
                    w.uint32(34);
                    w.bytes(obj.envelopeHash);
                }
                if ((obj.lastSeq != null && obj.lastSeq !== 0)) {
                    w.uint32(40);
                    w.uint64Number(obj.lastSeq);
                }
                if ((obj.lastHash != null && obj.lastHash.byteLength > 0)) {
                    w.uint32(50);
                    w.bytes(obj.lastHash);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    requester: uint8ArrayAlloc(0),
                    sender: uint8ArrayAlloc(0),
                    envelopeId: uint8ArrayAlloc(0),
                    envelopeHash: uint8ArrayAlloc(0),
                    lastSeq: 0,
                    lastHash: uint8ArrayAlloc(0)
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.requester = reader.bytes();
                            break;
                        }
                        case 2: {
                            obj.sender = reader.bytes();
                            break;
                        }
                        case 3: {
                            obj.envelopeId = reader.bytes();
                            break;
                        }
                        case 4: {
                            obj.envelopeHash = reader.bytes();
                            break;
                        }
                        case 5: {
                            obj.lastSeq = reader.uint64Number();
                            break;
                        }
                        case 6: {
                            obj.lastHash = reader.bytes();
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
                                field: `${prefix}.requester`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.sender`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.envelopeId`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 4: {
                            yield {
                                field: `${prefix}.envelopeHash`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 5: {
                            yield {
                                field: `${prefix}.lastSeq`,
                                value: reader.uint64Number()
                            };
                            break;
                        }
                        case 6: {
                            yield {
                                field: `${prefix}.lastHash`,
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
        return encodeMessage(obj, SessionResetBody.codec());
    }
    SessionResetBody.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, SessionResetBody.codec(), opts);
    }
    SessionResetBody.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, SessionResetBody.codec(), opts);
    }
    SessionResetBody.stream = stream;
})(SessionResetBody || (SessionResetBody = {}));
export var SessionReset;
(function (SessionReset) {
    let _codec;
    SessionReset.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.body != null && obj.body.byteLength > 0)) {
                    w.uint32(10);
                    w.bytes(obj.body);
                }
                if ((obj.signature != null && obj.signature.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.signature);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    body: uint8ArrayAlloc(0),
                    signature: uint8ArrayAlloc(0)
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.body = reader.bytes();
                            break;
                        }
                        case 2: {
                            obj.signature = reader.bytes();
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
                                field: `${prefix}.body`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.signature`,
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
        return encodeMessage(obj, SessionReset.codec());
    }
    SessionReset.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, SessionReset.codec(), opts);
    }
    SessionReset.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, SessionReset.codec(), opts);
    }
    SessionReset.stream = stream;
})(SessionReset || (SessionReset = {}));
export var Frame;
(function (Frame) {
    let _codec;
    Frame.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                obj = { ...obj };
                if (obj.sessionReset != null) {
                    obj.ack = undefined;
                    obj.envelope = undefined;
                }
                if (obj.ack != null) {
                    obj.sessionReset = undefined;
                    obj.envelope = undefined;
                }
                if (obj.envelope != null) {
                    obj.sessionReset = undefined;
                    obj.ack = undefined;
                }
                if (obj.envelope != null) {
                    w.uint32(10);
                    Envelope.codec().encode(obj.envelope, w);
                }
                if (obj.ack != null) {
                    w.uint32(18);
                    Ack.codec().encode(obj.ack, w);
                }
                if (obj.sessionReset != null) {
                    w.uint32(26);
                    SessionReset.codec().encode(obj.sessionReset, w);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {};
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.envelope = Envelope.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.envelope
                            });
                            break;
                        }
                        case 2: {
                            obj.ack = Ack.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.ack
                            });
                            break;
                        }
                        case 3: {
                            obj.sessionReset = SessionReset.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.sessionReset
                            });
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                if (obj.sessionReset != null) {
                    delete obj.ack;
                    delete obj.envelope;
                }
                if (obj.ack != null) {
                    delete obj.sessionReset;
                    delete obj.envelope;
                }
                if (obj.envelope != null) {
                    delete obj.sessionReset;
                    delete obj.ack;
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield* Envelope.codec().stream(reader, reader.uint32(), `${prefix}.envelope`, {
                                limits: opts.limits?.envelope
                            });
                            break;
                        }
                        case 2: {
                            yield* Ack.codec().stream(reader, reader.uint32(), `${prefix}.ack`, {
                                limits: opts.limits?.ack
                            });
                            break;
                        }
                        case 3: {
                            yield* SessionReset.codec().stream(reader, reader.uint32(), `${prefix}.sessionReset`, {
                                limits: opts.limits?.sessionReset
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
        return encodeMessage(obj, Frame.codec());
    }
    Frame.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, Frame.codec(), opts);
    }
    Frame.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, Frame.codec(), opts);
    }
    Frame.stream = stream;
})(Frame || (Frame = {}));
export var Text;
(function (Text) {
    let _codec;
    Text.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.markdown != null && obj.markdown !== '')) {
                    w.uint32(10);
                    w.string(obj.markdown);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    markdown: ''
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.markdown = reader.string();
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
                                field: `${prefix}.markdown`,
                                value: reader.string()
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
        return encodeMessage(obj, Text.codec());
    }
    Text.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, Text.codec(), opts);
    }
    Text.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, Text.codec(), opts);
    }
    Text.stream = stream;
})(Text || (Text = {}));
export var Snippet;
(function (Snippet) {
    let _codec;
    Snippet.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.language != null && obj.language !== '')) {
                    w.uint32(10);
                    w.string(obj.language);
                }
                if ((obj.path != null && obj.path !== '')) {
                    w.uint32(18);
                    w.string(obj.path);
                }
                if ((obj.startLine != null && obj.startLine !== 0)) {
                    w.uint32(24);
                    w.uint32(obj.startLine);
                }
                if ((obj.endLine != null && obj.endLine !== 0)) {
                    w.uint32(32);
                    w.uint32(obj.endLine);
                }
                if ((obj.text != null && obj.text !== '')) {
                    w.uint32(42);
                    w.string(obj.text);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    language: '',
                    path: '',
                    startLine: 0,
                    endLine: 0,
                    text: ''
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.language = reader.string();
                            break;
                        }
                        case 2: {
                            obj.path = reader.string();
                            break;
                        }
                        case 3: {
                            obj.startLine = reader.uint32();
                            break;
                        }
                        case 4: {
                            obj.endLine = reader.uint32();
                            break;
                        }
                        case 5: {
                            obj.text = reader.string();
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
                                field: `${prefix}.language`,
                                value: reader.string()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.path`,
                                value: reader.string()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.startLine`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 4: {
                            yield {
                                field: `${prefix}.endLine`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 5: {
                            yield {
                                field: `${prefix}.text`,
                                value: reader.string()
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
        return encodeMessage(obj, Snippet.codec());
    }
    Snippet.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, Snippet.codec(), opts);
    }
    Snippet.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, Snippet.codec(), opts);
    }
    Snippet.stream = stream;
})(Snippet || (Snippet = {}));
export var ReadReceipt;
(function (ReadReceipt) {
    let _codec;
    ReadReceipt.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if (obj.messageIds != null && obj.messageIds.length > 0) {
                    for (const value of obj.messageIds) {
                        w.uint32(10);
                        w.bytes(value);
                    }
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    messageIds: []
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            if (opts.limits?.messageIds != null && obj.messageIds.length === opts.limits.messageIds) {
                                throw new MaxLengthError('Decode error - repeated field "messageIds" had too many elements');
                            }
                            obj.messageIds.push(reader.bytes());
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
                    messageIds: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            if (opts.limits?.messageIds != null && obj.messageIds === opts.limits.messageIds) {
                                throw new MaxLengthError('Streaming decode error - repeated field "messageIds" had too many elements');
                            }
                            yield {
                                field: `${prefix}.messageIds[]`,
                                index: obj.messageIds,
                                value: reader.bytes()
                            };
                            obj.messageIds++;
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
        return encodeMessage(obj, ReadReceipt.codec());
    }
    ReadReceipt.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, ReadReceipt.codec(), opts);
    }
    ReadReceipt.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, ReadReceipt.codec(), opts);
    }
    ReadReceipt.stream = stream;
})(ReadReceipt || (ReadReceipt = {}));
export var QueueAddressRecord;
(function (QueueAddressRecord) {
    let _codec;
    QueueAddressRecord.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.community != null && obj.community.byteLength > 0)) {
                    w.uint32(10);
                    w.bytes(obj.community);
                }
                if (obj.addresses != null && obj.addresses.length > 0) {
                    for (const value of obj.addresses) {
                        w.uint32(18);
                        w.bytes(value);
                    }
                }
                if ((obj.queueId != null && obj.queueId.byteLength > 0)) {
                    w.uint32(26);
                    w.bytes(obj.queueId);
                }
                if ((obj.credential != null && obj.credential.byteLength > 0)) {
                    w.uint32(34);
                    w.bytes(obj.credential);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    community: uint8ArrayAlloc(0),
                    addresses: [],
                    queueId: uint8ArrayAlloc(0),
                    credential: uint8ArrayAlloc(0)
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.community = reader.bytes();
                            break;
                        }
                        case 2: {
                            if (opts.limits?.addresses != null && obj.addresses.length === opts.limits.addresses) {
                                throw new MaxLengthError('Decode error - repeated field "addresses" had too many elements');
                            }
                            obj.addresses.push(reader.bytes());
                            break;
                        }
                        case 3: {
                            obj.queueId = reader.bytes();
                            break;
                        }
                        case 4: {
                            obj.credential = reader.bytes();
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
                    addresses: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.community`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 2: {
                            if (opts.limits?.addresses != null && obj.addresses === opts.limits.addresses) {
                                throw new MaxLengthError('Streaming decode error - repeated field "addresses" had too many elements');
                            }
                            yield {
                                field: `${prefix}.addresses[]`,
                                index: obj.addresses,
                                value: reader.bytes()
                            };
                            obj.addresses++;
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.queueId`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 4: {
                            yield {
                                field: `${prefix}.credential`,
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
        return encodeMessage(obj, QueueAddressRecord.codec());
    }
    QueueAddressRecord.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, QueueAddressRecord.codec(), opts);
    }
    QueueAddressRecord.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, QueueAddressRecord.codec(), opts);
    }
    QueueAddressRecord.stream = stream;
})(QueueAddressRecord || (QueueAddressRecord = {}));
export var MailboxQueues;
(function (MailboxQueues) {
    let _codec;
    MailboxQueues.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if (obj.queues != null && obj.queues.length > 0) {
                    for (const value of obj.queues) {
                        w.uint32(10);
                        QueueAddressRecord.codec().encode(value, w);
                    }
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    queues: []
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            if (opts.limits?.queues != null && obj.queues.length === opts.limits.queues) {
                                throw new MaxLengthError('Decode error - repeated field "queues" had too many elements');
                            }
                            obj.queues.push(QueueAddressRecord.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.queues$
                            }));
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
                    queues: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            if (opts.limits?.queues != null && obj.queues === opts.limits.queues) {
                                throw new MaxLengthError('Streaming decode error - repeated field "queues" had too many elements');
                            }
                            for (const evt of QueueAddressRecord.codec().stream(reader, reader.uint32(), `${prefix}.queues[]`, {
                                limits: opts.limits?.queues$
                            })) {
                                yield {
                                    ...evt,
                                    index: obj.queues
                                };
                            }
                            obj.queues++;
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
        return encodeMessage(obj, MailboxQueues.codec());
    }
    MailboxQueues.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, MailboxQueues.codec(), opts);
    }
    MailboxQueues.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, MailboxQueues.codec(), opts);
    }
    MailboxQueues.stream = stream;
})(MailboxQueues || (MailboxQueues = {}));
export var Payload;
(function (Payload) {
    let _codec;
    Payload.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                obj = { ...obj };
                if (obj.group != null) {
                    obj.mailboxQueues = undefined;
                    obj.readReceipt = undefined;
                    obj.snippet = undefined;
                    obj.text = undefined;
                }
                if (obj.mailboxQueues != null) {
                    obj.group = undefined;
                    obj.readReceipt = undefined;
                    obj.snippet = undefined;
                    obj.text = undefined;
                }
                if (obj.readReceipt != null) {
                    obj.group = undefined;
                    obj.mailboxQueues = undefined;
                    obj.snippet = undefined;
                    obj.text = undefined;
                }
                if (obj.snippet != null) {
                    obj.group = undefined;
                    obj.mailboxQueues = undefined;
                    obj.readReceipt = undefined;
                    obj.text = undefined;
                }
                if (obj.text != null) {
                    obj.group = undefined;
                    obj.mailboxQueues = undefined;
                    obj.readReceipt = undefined;
                    obj.snippet = undefined;
                }
                if (obj.text != null) {
                    w.uint32(10);
                    Text.codec().encode(obj.text, w);
                }
                if (obj.snippet != null) {
                    w.uint32(18);
                    Snippet.codec().encode(obj.snippet, w);
                }
                if (obj.readReceipt != null) {
                    w.uint32(26);
                    ReadReceipt.codec().encode(obj.readReceipt, w);
                }
                if (obj.mailboxQueues != null) {
                    w.uint32(50);
                    MailboxQueues.codec().encode(obj.mailboxQueues, w);
                }
                if (obj.group != null) {
                    w.uint32(58);
                    w.bytes(obj.group);
                }
                if (obj.inviteSecret != null) {
                    w.uint32(34);
                    w.bytes(obj.inviteSecret);
                }
                if (obj.senderName != null) {
                    w.uint32(42);
                    w.string(obj.senderName);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {};
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.text = Text.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.text
                            });
                            break;
                        }
                        case 2: {
                            obj.snippet = Snippet.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.snippet
                            });
                            break;
                        }
                        case 3: {
                            obj.readReceipt = ReadReceipt.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.readReceipt
                            });
                            break;
                        }
                        case 6: {
                            obj.mailboxQueues = MailboxQueues.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.mailboxQueues
                            });
                            break;
                        }
                        case 7: {
                            obj.group = reader.bytes();
                            break;
                        }
                        case 4: {
                            obj.inviteSecret = reader.bytes();
                            break;
                        }
                        case 5: {
                            obj.senderName = reader.string();
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                if (obj.group != null) {
                    delete obj.mailboxQueues;
                    delete obj.readReceipt;
                    delete obj.snippet;
                    delete obj.text;
                }
                if (obj.mailboxQueues != null) {
                    delete obj.group;
                    delete obj.readReceipt;
                    delete obj.snippet;
                    delete obj.text;
                }
                if (obj.readReceipt != null) {
                    delete obj.group;
                    delete obj.mailboxQueues;
                    delete obj.snippet;
                    delete obj.text;
                }
                if (obj.snippet != null) {
                    delete obj.group;
                    delete obj.mailboxQueues;
                    delete obj.readReceipt;
                    delete obj.text;
                }
                if (obj.text != null) {
                    delete obj.group;
                    delete obj.mailboxQueues;
                    delete obj.readReceipt;
                    delete obj.snippet;
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield* Text.codec().stream(reader, reader.uint32(), `${prefix}.text`, {
                                limits: opts.limits?.text
                            });
                            break;
                        }
                        case 2: {
                            yield* Snippet.codec().stream(reader, reader.uint32(), `${prefix}.snippet`, {
                                limits: opts.limits?.snippet
                            });
                            break;
                        }
                        case 3: {
                            yield* ReadReceipt.codec().stream(reader, reader.uint32(), `${prefix}.readReceipt`, {
                                limits: opts.limits?.readReceipt
                            });
                            break;
                        }
                        case 6: {
                            yield* MailboxQueues.codec().stream(reader, reader.uint32(), `${prefix}.mailboxQueues`, {
                                limits: opts.limits?.mailboxQueues
                            });
                            break;
                        }
                        case 7: {
                            yield {
                                field: `${prefix}.group`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 4: {
                            yield {
                                field: `${prefix}.inviteSecret`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 5: {
                            yield {
                                field: `${prefix}.senderName`,
                                value: reader.string()
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
        return encodeMessage(obj, Payload.codec());
    }
    Payload.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, Payload.codec(), opts);
    }
    Payload.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, Payload.codec(), opts);
    }
    Payload.stream = stream;
})(Payload || (Payload = {}));
