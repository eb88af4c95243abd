/* eslint-disable require-yield */
import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime';
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc';
export var QueueCreate;
(function (QueueCreate) {
    let _codec;
    QueueCreate.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.credentialHash != null && obj.credentialHash.byteLength > 0)) {
                    w.uint32(10);
                    w.bytes(obj.credentialHash);
                }
                if ((obj.public != null && obj.public !== false)) {
                    w.uint32(16);
                    w.bool(obj.public);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    credentialHash: uint8ArrayAlloc(0),
                    public: false
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.credentialHash = reader.bytes();
                            break;
                        }
                        case 2: {
                            obj.public = reader.bool();
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
                                field: `${prefix}.credentialHash`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.public`,
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
        return encodeMessage(obj, QueueCreate.codec());
    }
    QueueCreate.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, QueueCreate.codec(), opts);
    }
    QueueCreate.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, QueueCreate.codec(), opts);
    }
    QueueCreate.stream = stream;
})(QueueCreate || (QueueCreate = {}));
export var Deposit;
(function (Deposit) {
    let _codec;
    Deposit.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.queueId != null && obj.queueId.byteLength > 0)) {
                    w.uint32(10);
                    w.bytes(obj.queueId);
                }
                if ((obj.credential != null && obj.credential.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.credential);
                }
                if ((obj.blob != null && obj.blob.byteLength > 0)) {
                    w.uint32(26);
                    w.bytes(obj.blob);
                }
                if ((obj.powNonce != null && obj.powNonce !== 0)) {
                    w.uint32(32);
                    w.uint64Number(obj.powNonce);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    queueId: uint8ArrayAlloc(0),
                    credential: uint8ArrayAlloc(0),
                    blob: uint8ArrayAlloc(0),
                    powNonce: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.queueId = reader.bytes();
                            break;
                        }
                        case 2: {
                            obj.credential = reader.bytes();
                            break;
                        }
                        case 3: {
                            obj.blob = reader.bytes();
                            break;
                        }
                        case 4: {
                            obj.powNonce = reader.uint64Number();
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
                                field: `${prefix}.queueId`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.credential`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.blob`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 4: {
                            yield {
                                field: `${prefix}.powNonce`,
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
        return encodeMessage(obj, Deposit.codec());
    }
    Deposit.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, Deposit.codec(), opts);
    }
    Deposit.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, Deposit.codec(), opts);
    }
    Deposit.stream = stream;
})(Deposit || (Deposit = {}));
export var Subscribe;
(function (Subscribe) {
    let _codec;
    Subscribe.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
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
        return encodeMessage(obj, Subscribe.codec());
    }
    Subscribe.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, Subscribe.codec(), opts);
    }
    Subscribe.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, Subscribe.codec(), opts);
    }
    Subscribe.stream = stream;
})(Subscribe || (Subscribe = {}));
export var Delete;
(function (Delete) {
    let _codec;
    Delete.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if (obj.depositIds != null && obj.depositIds.length > 0) {
                    for (const value of obj.depositIds) {
                        w.uint32(10);
                        w.bytes(value);
                    }
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    depositIds: []
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            if (opts.limits?.depositIds != null && obj.depositIds.length === opts.limits.depositIds) {
                                throw new MaxLengthError('Decode error - repeated field "depositIds" had too many elements');
                            }
                            obj.depositIds.push(reader.bytes());
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
                    depositIds: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            if (opts.limits?.depositIds != null && obj.depositIds === opts.limits.depositIds) {
                                throw new MaxLengthError('Streaming decode error - repeated field "depositIds" had too many elements');
                            }
                            yield {
                                field: `${prefix}.depositIds[]`,
                                index: obj.depositIds,
                                value: reader.bytes()
                            };
                            obj.depositIds++;
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
        return encodeMessage(obj, Delete.codec());
    }
    Delete.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, Delete.codec(), opts);
    }
    Delete.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, Delete.codec(), opts);
    }
    Delete.stream = stream;
})(Delete || (Delete = {}));
export var QueueDelete;
(function (QueueDelete) {
    let _codec;
    QueueDelete.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.queueId != null && obj.queueId.byteLength > 0)) {
                    w.uint32(10);
                    w.bytes(obj.queueId);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    queueId: uint8ArrayAlloc(0)
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
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
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
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
        return encodeMessage(obj, QueueDelete.codec());
    }
    QueueDelete.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, QueueDelete.codec(), opts);
    }
    QueueDelete.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, QueueDelete.codec(), opts);
    }
    QueueDelete.stream = stream;
})(QueueDelete || (QueueDelete = {}));
export var MailboxRequest;
(function (MailboxRequest) {
    let _codec;
    MailboxRequest.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                obj = { ...obj };
                if (obj.queueDelete != null) {
                    obj.delete = undefined;
                    obj.subscribe = undefined;
                    obj.deposit = undefined;
                    obj.queueCreate = undefined;
                }
                if (obj.delete != null) {
                    obj.queueDelete = undefined;
                    obj.subscribe = undefined;
                    obj.deposit = undefined;
                    obj.queueCreate = undefined;
                }
                if (obj.subscribe != null) {
                    obj.queueDelete = undefined;
                    obj.delete = undefined;
                    obj.deposit = undefined;
                    obj.queueCreate = undefined;
                }
                if (obj.deposit != null) {
                    obj.queueDelete = undefined;
                    obj.delete = undefined;
                    obj.subscribe = undefined;
                    obj.queueCreate = undefined;
                }
                if (obj.queueCreate != null) {
                    obj.queueDelete = undefined;
                    obj.delete = undefined;
                    obj.subscribe = undefined;
                    obj.deposit = undefined;
                }
                if (obj.queueCreate != null) {
                    w.uint32(10);
                    QueueCreate.codec().encode(obj.queueCreate, w);
                }
                if (obj.deposit != null) {
                    w.uint32(18);
                    Deposit.codec().encode(obj.deposit, w);
                }
                if (obj.subscribe != null) {
                    w.uint32(26);
                    Subscribe.codec().encode(obj.subscribe, w);
                }
                if (obj.delete != null) {
                    w.uint32(34);
                    Delete.codec().encode(obj.delete, w);
                }
                if (obj.queueDelete != null) {
                    w.uint32(42);
                    QueueDelete.codec().encode(obj.queueDelete, w);
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
                            obj.queueCreate = QueueCreate.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.queueCreate
                            });
                            break;
                        }
                        case 2: {
                            obj.deposit = Deposit.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.deposit
                            });
                            break;
                        }
                        case 3: {
                            obj.subscribe = Subscribe.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.subscribe
                            });
                            break;
                        }
                        case 4: {
                            obj.delete = Delete.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.delete
                            });
                            break;
                        }
                        case 5: {
                            obj.queueDelete = QueueDelete.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.queueDelete
                            });
                            break;
                        }
                        default: {
                            reader.skipType(tag & 7);
                            break;
                        }
                    }
                }
                if (obj.queueDelete != null) {
                    delete obj.delete;
                    delete obj.subscribe;
                    delete obj.deposit;
                    delete obj.queueCreate;
                }
                if (obj.delete != null) {
                    delete obj.queueDelete;
                    delete obj.subscribe;
                    delete obj.deposit;
                    delete obj.queueCreate;
                }
                if (obj.subscribe != null) {
                    delete obj.queueDelete;
                    delete obj.delete;
                    delete obj.deposit;
                    delete obj.queueCreate;
                }
                if (obj.deposit != null) {
                    delete obj.queueDelete;
                    delete obj.delete;
                    delete obj.subscribe;
                    delete obj.queueCreate;
                }
                if (obj.queueCreate != null) {
                    delete obj.queueDelete;
                    delete obj.delete;
                    delete obj.subscribe;
                    delete obj.deposit;
                }
                return obj;
            }, function* (reader, length, prefix, opts = {}) {
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            yield* QueueCreate.codec().stream(reader, reader.uint32(), `${prefix}.queueCreate`, {
                                limits: opts.limits?.queueCreate
                            });
                            break;
                        }
                        case 2: {
                            yield* Deposit.codec().stream(reader, reader.uint32(), `${prefix}.deposit`, {
                                limits: opts.limits?.deposit
                            });
                            break;
                        }
                        case 3: {
                            yield* Subscribe.codec().stream(reader, reader.uint32(), `${prefix}.subscribe`, {
                                limits: opts.limits?.subscribe
                            });
                            break;
                        }
                        case 4: {
                            yield* Delete.codec().stream(reader, reader.uint32(), `${prefix}.delete`, {
                                limits: opts.limits?.delete
                            });
                            break;
                        }
                        case 5: {
                            yield* QueueDelete.codec().stream(reader, reader.uint32(), `${prefix}.queueDelete`, {
                                limits: opts.limits?.queueDelete
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
        return encodeMessage(obj, MailboxRequest.codec());
    }
    MailboxRequest.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, MailboxRequest.codec(), opts);
    }
    MailboxRequest.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, MailboxRequest.codec(), opts);
    }
    MailboxRequest.stream = stream;
})(MailboxRequest || (MailboxRequest = {}));
export var StoredDeposit;
(function (StoredDeposit) {
    let _codec;
    StoredDeposit.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.depositId != null && obj.depositId.byteLength > 0)) {
                    w.uint32(10);
                    w.bytes(obj.depositId);
                }
                if ((obj.queueId != null && obj.queueId.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.queueId);
                }
                if ((obj.storedAt != null && obj.storedAt !== 0)) {
                    w.uint32(24);
                    w.uint64Number(obj.storedAt);
                }
                if ((obj.blob != null && obj.blob.byteLength > 0)) {
                    w.uint32(34);
                    w.bytes(obj.blob);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    depositId: uint8ArrayAlloc(0),
                    queueId: uint8ArrayAlloc(0),
                    storedAt: 0,
                    blob: uint8ArrayAlloc(0)
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.depositId = reader.bytes();
                            break;
                        }
                        case 2: {
                            obj.queueId = reader.bytes();
                            break;
                        }
                        case 3: {
                            obj.storedAt = reader.uint64Number();
                            break;
                        }
                        case 4: {
                            obj.blob = reader.bytes();
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
                                field: `${prefix}.depositId`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.queueId`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.storedAt`,
                                value: reader.uint64Number()
                            };
                            break;
                        }
                        case 4: {
                            yield {
                                field: `${prefix}.blob`,
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
        return encodeMessage(obj, StoredDeposit.codec());
    }
    StoredDeposit.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, StoredDeposit.codec(), opts);
    }
    StoredDeposit.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, StoredDeposit.codec(), opts);
    }
    StoredDeposit.stream = stream;
})(StoredDeposit || (StoredDeposit = {}));
export var MailboxResponse;
(function (MailboxResponse) {
    let Status;
    (function (Status) {
        Status["UNSPECIFIED"] = "UNSPECIFIED";
        Status["OK"] = "OK";
        Status["NOT_A_MEMBER"] = "NOT_A_MEMBER";
        Status["UNKNOWN_QUEUE"] = "UNKNOWN_QUEUE";
        Status["QUEUE_FULL"] = "QUEUE_FULL";
        Status["MEMBER_FULL"] = "MEMBER_FULL";
        Status["TOO_LARGE"] = "TOO_LARGE";
        Status["RATE_LIMITED"] = "RATE_LIMITED";
        Status["POW_REQUIRED"] = "POW_REQUIRED";
        Status["BAD_REQUEST"] = "BAD_REQUEST";
        Status["TOO_MANY_QUEUES"] = "TOO_MANY_QUEUES";
    })(Status = MailboxResponse.Status || (MailboxResponse.Status = {}));
    let __StatusValues;
    (function (__StatusValues) {
        __StatusValues[__StatusValues["UNSPECIFIED"] = 0] = "UNSPECIFIED";
        __StatusValues[__StatusValues["OK"] = 1] = "OK";
        __StatusValues[__StatusValues["NOT_A_MEMBER"] = 2] = "NOT_A_MEMBER";
        __StatusValues[__StatusValues["UNKNOWN_QUEUE"] = 3] = "UNKNOWN_QUEUE";
        __StatusValues[__StatusValues["QUEUE_FULL"] = 4] = "QUEUE_FULL";
        __StatusValues[__StatusValues["MEMBER_FULL"] = 5] = "MEMBER_FULL";
        __StatusValues[__StatusValues["TOO_LARGE"] = 6] = "TOO_LARGE";
        __StatusValues[__StatusValues["RATE_LIMITED"] = 7] = "RATE_LIMITED";
        __StatusValues[__StatusValues["POW_REQUIRED"] = 8] = "POW_REQUIRED";
        __StatusValues[__StatusValues["BAD_REQUEST"] = 9] = "BAD_REQUEST";
        __StatusValues[__StatusValues["TOO_MANY_QUEUES"] = 10] = "TOO_MANY_QUEUES";
    })(__StatusValues || (__StatusValues = {}));
    (function (Status) {
        Status.codec = () => {
            return enumeration(__StatusValues);
        };
    })(Status = MailboxResponse.Status || (MailboxResponse.Status = {}));
    let _codec;
    MailboxResponse.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if (obj.status != null && __StatusValues[obj.status] !== 0) {
                    w.uint32(8);
                    MailboxResponse.Status.codec().encode(obj.status, w);
                }
                if ((obj.queueId != null && obj.queueId.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.queueId);
                }
                if ((obj.powDifficulty != null && obj.powDifficulty !== 0)) {
                    w.uint32(24);
                    w.uint32(obj.powDifficulty);
                }
                if (obj.deposit != null) {
                    w.uint32(34);
                    StoredDeposit.codec().encode(obj.deposit, w);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    status: Status.UNSPECIFIED,
                    queueId: uint8ArrayAlloc(0),
                    powDifficulty: 0
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.status = MailboxResponse.Status.codec().decode(reader);
                            break;
                        }
                        case 2: {
                            obj.queueId = reader.bytes();
                            break;
                        }
                        case 3: {
                            obj.powDifficulty = reader.uint32();
                            break;
                        }
                        case 4: {
                            obj.deposit = StoredDeposit.codec().decode(reader, reader.uint32(), {
                                limits: opts.limits?.deposit
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
                                field: `${prefix}.status`,
                                value: MailboxResponse.Status.codec().decode(reader)
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.queueId`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.powDifficulty`,
                                value: reader.uint32()
                            };
                            break;
                        }
                        case 4: {
                            yield* StoredDeposit.codec().stream(reader, reader.uint32(), `${prefix}.deposit`, {
                                limits: opts.limits?.deposit
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
        return encodeMessage(obj, MailboxResponse.codec());
    }
    MailboxResponse.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, MailboxResponse.codec(), opts);
    }
    MailboxResponse.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, MailboxResponse.codec(), opts);
    }
    MailboxResponse.stream = stream;
})(MailboxResponse || (MailboxResponse = {}));
