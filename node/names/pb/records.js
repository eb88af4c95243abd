import { decodeMessage, encodeMessage, MaxLengthError, message, streamMessage } from 'protons-runtime';
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc';
export var ProfileBody;
(function (ProfileBody) {
    let _codec;
    ProfileBody.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.peerId != null && obj.peerId.byteLength > 0)) {
                    w.uint32(10);
                    w.bytes(obj.peerId);
                }
                if ((obj.dhKey != null && obj.dhKey.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.dhKey);
                }
                if ((obj.prekeyId != null && obj.prekeyId !== 0)) {
                    w.uint32(24);
                    w.uint32(obj.prekeyId);
                }
                if ((obj.prekey != null && obj.prekey.byteLength > 0)) {
                    w.uint32(34);
                    w.bytes(obj.prekey);
                }
                if ((obj.prekeySignature != null && obj.prekeySignature.byteLength > 0)) {
                    w.uint32(42);
                    w.bytes(obj.prekeySignature);
                }
                if (obj.addresses != null && obj.addresses.length > 0) {
                    for (const value of obj.addresses) {
                        w.uint32(50);
                        w.bytes(value);
                    }
                }
                if ((obj.sequence != null && obj.sequence !== 0n)) {
                    w.uint32(56);
                    w.uint64(obj.sequence);
                }
                if ((obj.expiresAt != null && obj.expiresAt !== 0n)) {
                    w.uint32(64);
                    w.uint64(obj.expiresAt);
                }
                if (obj.mailboxes != null && obj.mailboxes.length > 0) {
                    for (const value of obj.mailboxes) {
                        w.uint32(74);
                        PublicQueueRecord.codec().encode(value, w);
                    }
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    peerId: uint8ArrayAlloc(0),
                    dhKey: uint8ArrayAlloc(0),
                    prekeyId: 0,
                    prekey: uint8ArrayAlloc(0),
                    prekeySignature: uint8ArrayAlloc(0),
                    addresses: [],
                    sequence: 0n,
                    expiresAt: 0n,
                    mailboxes: []
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.peerId = reader.bytes();
                            break;
                        }
                        case 2: {
                            obj.dhKey = reader.bytes();
                            break;
                        }
                        case 3: {
                            obj.prekeyId = reader.uint32();
                            break;
                        }
                        case 4: {
                            obj.prekey = reader.bytes();
                            break;
                        }
                        case 5: {
                            obj.prekeySignature = reader.bytes();
                            break;
                        }
                        case 6: {
                            if (opts.limits?.addresses != null && obj.addresses.length === opts.limits.addresses) {
                                throw new MaxLengthError('Decode error - repeated field "addresses" had too many elements');
                            }
                            obj.addresses.push(reader.bytes());
                            break;
                        }
                        case 7: {
                            obj.sequence = reader.uint64();
                            break;
                        }
                        case 8: {
                            obj.expiresAt = reader.uint64();
                            break;
                        }
                        case 9: {
                            if (opts.limits?.mailboxes != null && obj.mailboxes.length === opts.limits.mailboxes) {
                                throw new MaxLengthError('Decode error - repeated field "mailboxes" had too many elements');
                            }
                            obj.mailboxes.push(PublicQueueRecord.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.mailboxes$
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
                    addresses: 0,
                    mailboxes: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.peerId`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.dhKey`,
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
                                field: `${prefix}.prekey`,
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
                        case 7: {
                            yield {
                                field: `${prefix}.sequence`,
                                value: reader.uint64()
                            };
                            break;
                        }
                        case 8: {
                            yield {
                                field: `${prefix}.expiresAt`,
                                value: reader.uint64()
                            };
                            break;
                        }
                        case 9: {
                            if (opts.limits?.mailboxes != null && obj.mailboxes === opts.limits.mailboxes) {
                                throw new MaxLengthError('Streaming decode error - repeated field "mailboxes" had too many elements');
                            }
                            for (const evt of PublicQueueRecord.codec().stream(reader, reader.uint32(), `${prefix}.mailboxes[]`, {
                                limits: opts.limits?.mailboxes$
                            })) {
                                yield {
                                    ...evt,
                                    index: obj.mailboxes
                                };
                            }
                            obj.mailboxes++;
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
        return encodeMessage(obj, ProfileBody.codec());
    }
    ProfileBody.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, ProfileBody.codec(), opts);
    }
    ProfileBody.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, ProfileBody.codec(), opts);
    }
    ProfileBody.stream = stream;
})(ProfileBody || (ProfileBody = {}));
export var PublicQueueRecord;
(function (PublicQueueRecord) {
    let _codec;
    PublicQueueRecord.codec = () => {
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
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    community: uint8ArrayAlloc(0),
                    addresses: [],
                    queueId: uint8ArrayAlloc(0)
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
        return encodeMessage(obj, PublicQueueRecord.codec());
    }
    PublicQueueRecord.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, PublicQueueRecord.codec(), opts);
    }
    PublicQueueRecord.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, PublicQueueRecord.codec(), opts);
    }
    PublicQueueRecord.stream = stream;
})(PublicQueueRecord || (PublicQueueRecord = {}));
export var ProfileRecord;
(function (ProfileRecord) {
    let _codec;
    ProfileRecord.codec = () => {
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
        return encodeMessage(obj, ProfileRecord.codec());
    }
    ProfileRecord.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, ProfileRecord.codec(), opts);
    }
    ProfileRecord.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, ProfileRecord.codec(), opts);
    }
    ProfileRecord.stream = stream;
})(ProfileRecord || (ProfileRecord = {}));
export var NameClaimBody;
(function (NameClaimBody) {
    let _codec;
    NameClaimBody.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.name != null && obj.name !== '')) {
                    w.uint32(10);
                    w.string(obj.name);
                }
                if ((obj.peerId != null && obj.peerId.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.peerId);
                }
                if ((obj.claimedAt != null && obj.claimedAt !== 0n)) {
                    w.uint32(24);
                    w.uint64(obj.claimedAt);
                }
                if ((obj.sequence != null && obj.sequence !== 0n)) {
                    w.uint32(32);
                    w.uint64(obj.sequence);
                }
                if ((obj.expiresAt != null && obj.expiresAt !== 0n)) {
                    w.uint32(40);
                    w.uint64(obj.expiresAt);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    name: '',
                    peerId: uint8ArrayAlloc(0),
                    claimedAt: 0n,
                    sequence: 0n,
                    expiresAt: 0n
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.name = reader.string();
                            break;
                        }
                        case 2: {
                            obj.peerId = reader.bytes();
                            break;
                        }
                        case 3: {
                            obj.claimedAt = reader.uint64();
                            break;
                        }
                        case 4: {
                            obj.sequence = reader.uint64();
                            break;
                        }
                        case 5: {
                            obj.expiresAt = reader.uint64();
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
                                field: `${prefix}.name`,
                                value: reader.string()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.peerId`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.claimedAt`,
                                value: reader.uint64()
                            };
                            break;
                        }
                        case 4: {
                            yield {
                                field: `${prefix}.sequence`,
                                value: reader.uint64()
                            };
                            break;
                        }
                        case 5: {
                            yield {
                                field: `${prefix}.expiresAt`,
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
        return encodeMessage(obj, NameClaimBody.codec());
    }
    NameClaimBody.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, NameClaimBody.codec(), opts);
    }
    NameClaimBody.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, NameClaimBody.codec(), opts);
    }
    NameClaimBody.stream = stream;
})(NameClaimBody || (NameClaimBody = {}));
export var NameClaimRecord;
(function (NameClaimRecord) {
    let _codec;
    NameClaimRecord.codec = () => {
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
        return encodeMessage(obj, NameClaimRecord.codec());
    }
    NameClaimRecord.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, NameClaimRecord.codec(), opts);
    }
    NameClaimRecord.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, NameClaimRecord.codec(), opts);
    }
    NameClaimRecord.stream = stream;
})(NameClaimRecord || (NameClaimRecord = {}));
