import { decodeMessage, encodeMessage, MaxLengthError, message, streamMessage } from 'protons-runtime';
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc';
export var GroupEventBody;
(function (GroupEventBody) {
    let _codec;
    GroupEventBody.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                obj = { ...obj };
                if (obj.leave != null) {
                    obj.rename = undefined;
                    obj.admin = undefined;
                    obj.remove = undefined;
                    obj.add = undefined;
                    obj.create = undefined;
                }
                if (obj.rename != null) {
                    obj.leave = undefined;
                    obj.admin = undefined;
                    obj.remove = undefined;
                    obj.add = undefined;
                    obj.create = undefined;
                }
                if (obj.admin != null) {
                    obj.leave = undefined;
                    obj.rename = undefined;
                    obj.remove = undefined;
                    obj.add = undefined;
                    obj.create = undefined;
                }
                if (obj.remove != null) {
                    obj.leave = undefined;
                    obj.rename = undefined;
                    obj.admin = undefined;
                    obj.add = undefined;
                    obj.create = undefined;
                }
                if (obj.add != null) {
                    obj.leave = undefined;
                    obj.rename = undefined;
                    obj.admin = undefined;
                    obj.remove = undefined;
                    obj.create = undefined;
                }
                if (obj.create != null) {
                    obj.leave = undefined;
                    obj.rename = undefined;
                    obj.admin = undefined;
                    obj.remove = undefined;
                    obj.add = undefined;
                }
                if ((obj.groupId != null && obj.groupId.byteLength > 0)) {
                    w.uint32(10);
                    w.bytes(obj.groupId);
                }
                if ((obj.author != null && obj.author.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.author);
                }
                if (obj.parents != null && obj.parents.length > 0) {
                    for (const value of obj.parents) {
                        w.uint32(26);
                        w.bytes(value);
                    }
                }
                if ((obj.createdAt != null && obj.createdAt !== 0)) {
                    w.uint32(32);
                    w.uint64Number(obj.createdAt);
                }
                if (obj.create != null) {
                    w.uint32(42);
                    Create.codec().encode(obj.create, w);
                }
                if (obj.add != null) {
                    w.uint32(50);
                    w.bytes(obj.add);
                }
                if (obj.remove != null) {
                    w.uint32(58);
                    w.bytes(obj.remove);
                }
                if (obj.admin != null) {
                    w.uint32(66);
                    w.bytes(obj.admin);
                }
                if (obj.rename != null) {
                    w.uint32(74);
                    w.string(obj.rename);
                }
                if (obj.leave != null) {
                    w.uint32(80);
                    w.bool(obj.leave);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    groupId: uint8ArrayAlloc(0),
                    author: uint8ArrayAlloc(0),
                    parents: [],
                    createdAt: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.groupId = reader.bytes();
                            break;
                        }
                        case 2: {
                            obj.author = reader.bytes();
                            break;
                        }
                        case 3: {
                            if (opts.limits?.parents != null && obj.parents.length === opts.limits.parents) {
                                throw new MaxLengthError('Decode error - repeated field "parents" had too many elements');
                            }
                            obj.parents.push(reader.bytes());
                            break;
                        }
                        case 4: {
                            obj.createdAt = reader.uint64Number();
                            break;
                        }
                        case 5: {
                            obj.create = Create.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.create
                            });
                            break;
                        }
                        case 6: {
                            obj.add = reader.bytes();
                            break;
                        }
                        case 7: {
                            obj.remove = reader.bytes();
                            break;
                        }
                        case 8: {
                            obj.admin = reader.bytes();
                            break;
                        }
                        case 9: {
                            obj.rename = reader.string();
                            break;
                        }
                        case 10: {
                            obj.leave = reader.bool();
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                if (obj.leave != null) {
                    delete obj.rename;
                    delete obj.admin;
                    delete obj.remove;
                    delete obj.add;
                    delete obj.create;
                }
                if (obj.rename != null) {
                    delete obj.leave;
                    delete obj.admin;
                    delete obj.remove;
                    delete obj.add;
                    delete obj.create;
                }
                if (obj.admin != null) {
                    delete obj.leave;
                    delete obj.rename;
                    delete obj.remove;
                    delete obj.add;
                    delete obj.create;
                }
                if (obj.remove != null) {
                    delete obj.leave;
                    delete obj.rename;
                    delete obj.admin;
                    delete obj.add;
                    delete obj.create;
                }
                if (obj.add != null) {
                    delete obj.leave;
                    delete obj.rename;
                    delete obj.admin;
                    delete obj.remove;
                    delete obj.create;
                }
                if (obj.create != null) {
                    delete obj.leave;
                    delete obj.rename;
                    delete obj.admin;
                    delete obj.remove;
                    delete obj.add;
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const obj = {
                    parents: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.groupId`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.author`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 3: {
                            if (opts.limits?.parents != null && obj.parents === opts.limits.parents) {
                                throw new MaxLengthError('Streaming decode error - repeated field "parents" had too many elements');
                            }
                            yield {
                                field: `${prefix}.parents[]`,
                                index: obj.parents,
                                value: reader.bytes()
                            };
                            obj.parents++;
                            break;
                        }
                        case 4: {
                            yield {
                                field: `${prefix}.createdAt`,
                                value: reader.uint64Number()
                            };
                            break;
                        }
                        case 5: {
                            yield* Create.codec().stream(reader, reader.uint32(), `${prefix}.create`, {
                                limits: opts.limits?.create
                            });
                            break;
                        }
                        case 6: {
                            yield {
                                field: `${prefix}.add`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 7: {
                            yield {
                                field: `${prefix}.remove`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 8: {
                            yield {
                                field: `${prefix}.admin`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 9: {
                            yield {
                                field: `${prefix}.rename`,
                                value: reader.string()
                            };
                            break;
                        }
                        case 10: {
                            yield {
                                field: `${prefix}.leave`,
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
        return encodeMessage(obj, GroupEventBody.codec());
    }
    GroupEventBody.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, GroupEventBody.codec(), opts);
    }
    GroupEventBody.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, GroupEventBody.codec(), opts);
    }
    GroupEventBody.stream = stream;
})(GroupEventBody || (GroupEventBody = {}));
export var Create;
(function (Create) {
    let _codec;
    Create.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.title != null && obj.title !== '')) {
                    w.uint32(10);
                    w.string(obj.title);
                }
                if (obj.members != null && obj.members.length > 0) {
                    for (const value of obj.members) {
                        w.uint32(18);
                        w.bytes(value);
                    }
                }
                if ((obj.nonce != null && obj.nonce.byteLength > 0)) {
                    w.uint32(26);
                    w.bytes(obj.nonce);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    title: '',
                    members: [],
                    nonce: uint8ArrayAlloc(0)
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.title = reader.string();
                            break;
                        }
                        case 2: {
                            if (opts.limits?.members != null && obj.members.length === opts.limits.members) {
                                throw new MaxLengthError('Decode error - repeated field "members" had too many elements');
                            }
                            obj.members.push(reader.bytes());
                            break;
                        }
                        case 3: {
                            obj.nonce = reader.bytes();
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
                    members: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.title`,
                                value: reader.string()
                            };
                            break;
                        }
                        case 2: {
                            if (opts.limits?.members != null && obj.members === opts.limits.members) {
                                throw new MaxLengthError('Streaming decode error - repeated field "members" had too many elements');
                            }
                            yield {
                                field: `${prefix}.members[]`,
                                index: obj.members,
                                value: reader.bytes()
                            };
                            obj.members++;
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.nonce`,
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
        return encodeMessage(obj, Create.codec());
    }
    Create.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, Create.codec(), opts);
    }
    Create.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, Create.codec(), opts);
    }
    Create.stream = stream;
})(Create || (Create = {}));
export var GroupEvent;
(function (GroupEvent) {
    let _codec;
    GroupEvent.codec = () => {
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
        return encodeMessage(obj, GroupEvent.codec());
    }
    GroupEvent.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, GroupEvent.codec(), opts);
    }
    GroupEvent.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, GroupEvent.codec(), opts);
    }
    GroupEvent.stream = stream;
})(GroupEvent || (GroupEvent = {}));
export var SenderKey;
(function (SenderKey) {
    let _codec;
    SenderKey.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.groupId != null && obj.groupId.byteLength > 0)) {
                    w.uint32(10);
                    w.bytes(obj.groupId);
                }
                if ((obj.signingKey != null && obj.signingKey.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.signingKey);
                }
                if ((obj.iteration != null && obj.iteration !== 0)) {
                    w.uint32(24);
                    w.uint32(obj.iteration);
                }
                if ((obj.chainKey != null && obj.chainKey.byteLength > 0)) {
                    w.uint32(34);
                    w.bytes(obj.chainKey);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    groupId: uint8ArrayAlloc(0),
                    signingKey: uint8ArrayAlloc(0),
                    iteration: 0,
                    chainKey: uint8ArrayAlloc(0)
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.groupId = reader.bytes();
                            break;
                        }
                        case 2: {
                            obj.signingKey = reader.bytes();
                            break;
                        }
                        case 3: {
                            obj.iteration = reader.uint32();
                            break;
                        }
                        case 4: {
                            obj.chainKey = reader.bytes();
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
                                field: `${prefix}.groupId`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.signingKey`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.iteration`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 4: {
                            yield {
                                field: `${prefix}.chainKey`,
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
        return encodeMessage(obj, SenderKey.codec());
    }
    SenderKey.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, SenderKey.codec(), opts);
    }
    SenderKey.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, SenderKey.codec(), opts);
    }
    SenderKey.stream = stream;
})(SenderKey || (SenderKey = {}));
export var GroupMessageBody;
(function (GroupMessageBody) {
    let _codec;
    GroupMessageBody.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.groupId != null && obj.groupId.byteLength > 0)) {
                    w.uint32(10);
                    w.bytes(obj.groupId);
                }
                if ((obj.id != null && obj.id.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.id);
                }
                if ((obj.sender != null && obj.sender.byteLength > 0)) {
                    w.uint32(26);
                    w.bytes(obj.sender);
                }
                if ((obj.signingKey != null && obj.signingKey.byteLength > 0)) {
                    w.uint32(34);
                    w.bytes(obj.signingKey);
                }
                if ((obj.iteration != null && obj.iteration !== 0)) {
                    w.uint32(40);
                    w.uint32(obj.iteration);
                }
                if ((obj.seq != null && obj.seq !== 0)) {
                    w.uint32(48);
                    w.uint64Number(obj.seq);
                }
                if ((obj.prevHash != null && obj.prevHash.byteLength > 0)) {
                    w.uint32(58);
                    w.bytes(obj.prevHash);
                }
                if ((obj.lamport != null && obj.lamport !== 0)) {
                    w.uint32(64);
                    w.uint64Number(obj.lamport);
                }
                if ((obj.sentAt != null && obj.sentAt !== 0)) {
                    w.uint32(72);
                    w.uint64Number(obj.sentAt);
                }
                if ((obj.ciphertext != null && obj.ciphertext.byteLength > 0)) {
                    w.uint32(82);
                    w.bytes(obj.ciphertext);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    groupId: uint8ArrayAlloc(0),
                    id: uint8ArrayAlloc(0),
                    sender: uint8ArrayAlloc(0),
                    signingKey: uint8ArrayAlloc(0),
                    iteration: 0,
                    seq: 0,
                    prevHash: uint8ArrayAlloc(0),
                    lamport: 0,
                    sentAt: 0,
                    ciphertext: uint8ArrayAlloc(0)
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.groupId = reader.bytes();
                            break;
                        }
                        case 2: {
                            obj.id = reader.bytes();
                            break;
                        }
                        case 3: {
                            obj.sender = reader.bytes();
                            break;
                        }
                        case 4: {
                            obj.signingKey = reader.bytes();
                            break;
                        }
                        case 5: {
                            obj.iteration = reader.uint32();
                            break;
                        }
                        case 6: {
                            obj.seq = reader.uint64Number();
                            break;
                        }
                        case 7: {
                            obj.prevHash = reader.bytes();
                            break;
                        }
                        case 8: {
                            obj.lamport = reader.uint64Number();
                            break;
                        }
                        case 9: {
                            obj.sentAt = reader.uint64Number();
                            break;
                        }
                        case 10: {
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
                                field: `${prefix}.groupId`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.id`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.sender`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 4: {
                            yield {
                                field: `${prefix}.signingKey`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 5: {
                            yield {
                                field: `${prefix}.iteration`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 6: {
                            yield {
                                field: `${prefix}.seq`,
                                value: reader.uint64Number()
                            };
                            break;
                        }
                        case 7: {
                            yield {
                                field: `${prefix}.prevHash`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 8: {
                            yield {
                                field: `${prefix}.lamport`,
                                value: reader.uint64Number()
                            };
                            break;
                        }
                        case 9: {
                            yield {
                                field: `${prefix}.sentAt`,
                                value: reader.uint64Number()
                            };
                            break;
                        }
                        case 10: {
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
        return encodeMessage(obj, GroupMessageBody.codec());
    }
    GroupMessageBody.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, GroupMessageBody.codec(), opts);
    }
    GroupMessageBody.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, GroupMessageBody.codec(), opts);
    }
    GroupMessageBody.stream = stream;
})(GroupMessageBody || (GroupMessageBody = {}));
export var GroupMessage;
(function (GroupMessage) {
    let _codec;
    GroupMessage.codec = () => {
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
        return encodeMessage(obj, GroupMessage.codec());
    }
    GroupMessage.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, GroupMessage.codec(), opts);
    }
    GroupMessage.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, GroupMessage.codec(), opts);
    }
    GroupMessage.stream = stream;
})(GroupMessage || (GroupMessage = {}));
export var GroupContent;
(function (GroupContent) {
    let _codec;
    GroupContent.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                obj = { ...obj };
                if (obj.snippet != null) {
                    obj.text = undefined;
                }
                if (obj.text != null) {
                    obj.snippet = undefined;
                }
                if (obj.text != null) {
                    w.uint32(10);
                    w.string(obj.text);
                }
                if (obj.snippet != null) {
                    w.uint32(18);
                    GroupSnippet.codec().encode(obj.snippet, w);
                }
                if (obj.mentions != null && obj.mentions.length > 0) {
                    for (const value of obj.mentions) {
                        w.uint32(26);
                        w.bytes(value);
                    }
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    mentions: []
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.text = reader.string();
                            break;
                        }
                        case 2: {
                            obj.snippet = GroupSnippet.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.snippet
                            });
                            break;
                        }
                        case 3: {
                            if (opts.limits?.mentions != null && obj.mentions.length === opts.limits.mentions) {
                                throw new MaxLengthError('Decode error - repeated field "mentions" had too many elements');
                            }
                            obj.mentions.push(reader.bytes());
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                if (obj.snippet != null) {
                    delete obj.text;
                }
                if (obj.text != null) {
                    delete obj.snippet;
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const obj = {
                    mentions: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield {
                                field: `${prefix}.text`,
                                value: reader.string()
                            };
                            break;
                        }
                        case 2: {
                            yield* GroupSnippet.codec().stream(reader, reader.uint32(), `${prefix}.snippet`, {
                                limits: opts.limits?.snippet
                            });
                            break;
                        }
                        case 3: {
                            if (opts.limits?.mentions != null && obj.mentions === opts.limits.mentions) {
                                throw new MaxLengthError('Streaming decode error - repeated field "mentions" had too many elements');
                            }
                            yield {
                                field: `${prefix}.mentions[]`,
                                index: obj.mentions,
                                value: reader.bytes()
                            };
                            obj.mentions++;
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
        return encodeMessage(obj, GroupContent.codec());
    }
    GroupContent.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, GroupContent.codec(), opts);
    }
    GroupContent.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, GroupContent.codec(), opts);
    }
    GroupContent.stream = stream;
})(GroupContent || (GroupContent = {}));
export var GroupSnippet;
(function (GroupSnippet) {
    let _codec;
    GroupSnippet.codec = () => {
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
        return encodeMessage(obj, GroupSnippet.codec());
    }
    GroupSnippet.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, GroupSnippet.codec(), opts);
    }
    GroupSnippet.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, GroupSnippet.codec(), opts);
    }
    GroupSnippet.stream = stream;
})(GroupSnippet || (GroupSnippet = {}));
export var GroupFrame;
(function (GroupFrame) {
    let _codec;
    GroupFrame.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                obj = { ...obj };
                if (obj.events != null) {
                    obj.senderKey = undefined;
                    obj.message = undefined;
                }
                if (obj.senderKey != null) {
                    obj.events = undefined;
                    obj.message = undefined;
                }
                if (obj.message != null) {
                    obj.events = undefined;
                    obj.senderKey = undefined;
                }
                if (obj.message != null) {
                    w.uint32(10);
                    GroupMessage.codec().encode(obj.message, w);
                }
                if (obj.senderKey != null) {
                    w.uint32(18);
                    SenderKey.codec().encode(obj.senderKey, w);
                }
                if (obj.events != null) {
                    w.uint32(26);
                    GroupEvents.codec().encode(obj.events, w);
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
                            obj.message = GroupMessage.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.message
                            });
                            break;
                        }
                        case 2: {
                            obj.senderKey = SenderKey.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.senderKey
                            });
                            break;
                        }
                        case 3: {
                            obj.events = GroupEvents.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.events
                            });
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                if (obj.events != null) {
                    delete obj.senderKey;
                    delete obj.message;
                }
                if (obj.senderKey != null) {
                    delete obj.events;
                    delete obj.message;
                }
                if (obj.message != null) {
                    delete obj.events;
                    delete obj.senderKey;
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield* GroupMessage.codec().stream(reader, reader.uint32(), `${prefix}.message`, {
                                limits: opts.limits?.message
                            });
                            break;
                        }
                        case 2: {
                            yield* SenderKey.codec().stream(reader, reader.uint32(), `${prefix}.senderKey`, {
                                limits: opts.limits?.senderKey
                            });
                            break;
                        }
                        case 3: {
                            yield* GroupEvents.codec().stream(reader, reader.uint32(), `${prefix}.events`, {
                                limits: opts.limits?.events
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
        return encodeMessage(obj, GroupFrame.codec());
    }
    GroupFrame.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, GroupFrame.codec(), opts);
    }
    GroupFrame.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, GroupFrame.codec(), opts);
    }
    GroupFrame.stream = stream;
})(GroupFrame || (GroupFrame = {}));
export var GroupEvents;
(function (GroupEvents) {
    let _codec;
    GroupEvents.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if (obj.events != null && obj.events.length > 0) {
                    for (const value of obj.events) {
                        w.uint32(10);
                        GroupEvent.codec().encode(value, w);
                    }
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    events: []
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            if (opts.limits?.events != null && obj.events.length === opts.limits.events) {
                                throw new MaxLengthError('Decode error - repeated field "events" had too many elements');
                            }
                            obj.events.push(GroupEvent.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.events$
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
                    events: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            if (opts.limits?.events != null && obj.events === opts.limits.events) {
                                throw new MaxLengthError('Streaming decode error - repeated field "events" had too many elements');
                            }
                            for (const evt of GroupEvent.codec().stream(reader, reader.uint32(), `${prefix}.events[]`, {
                                limits: opts.limits?.events$
                            })) {
                                yield {
                                    ...evt,
                                    index: obj.events
                                };
                            }
                            obj.events++;
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
        return encodeMessage(obj, GroupEvents.codec());
    }
    GroupEvents.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, GroupEvents.codec(), opts);
    }
    GroupEvents.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, GroupEvents.codec(), opts);
    }
    GroupEvents.stream = stream;
})(GroupEvents || (GroupEvents = {}));
