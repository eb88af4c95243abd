import { decodeMessage, encodeMessage, enumeration, message, streamMessage } from 'protons-runtime';
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc';
export var JoinChallenge;
(function (JoinChallenge) {
    let _codec;
    JoinChallenge.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.nonce != null && obj.nonce.byteLength > 0)) {
                    w.uint32(10);
                    w.bytes(obj.nonce);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    nonce: uint8ArrayAlloc(0)
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
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
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
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
        return encodeMessage(obj, JoinChallenge.codec());
    }
    JoinChallenge.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, JoinChallenge.codec(), opts);
    }
    JoinChallenge.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, JoinChallenge.codec(), opts);
    }
    JoinChallenge.stream = stream;
})(JoinChallenge || (JoinChallenge = {}));
export var JoinProof;
(function (JoinProof) {
    let _codec;
    JoinProof.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.community != null && obj.community.byteLength > 0)) {
                    w.uint32(10);
                    w.bytes(obj.community);
                }
                if ((obj.member != null && obj.member.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.member);
                }
                if ((obj.nonce != null && obj.nonce.byteLength > 0)) {
                    w.uint32(26);
                    w.bytes(obj.nonce);
                }
                if ((obj.secret != null && obj.secret.byteLength > 0)) {
                    w.uint32(34);
                    w.bytes(obj.secret);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    community: uint8ArrayAlloc(0),
                    member: uint8ArrayAlloc(0),
                    nonce: uint8ArrayAlloc(0),
                    secret: uint8ArrayAlloc(0)
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
                            obj.member = reader.bytes();
                            break;
                        }
                        case 3: {
                            obj.nonce = reader.bytes();
                            break;
                        }
                        case 4: {
                            obj.secret = reader.bytes();
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
                                field: `${prefix}.community`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 2: {
                            yield {
                                field: `${prefix}.member`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 3: {
                            yield {
                                field: `${prefix}.nonce`,
                                value: reader.bytes()
                            };
                            break;
                        }
                        case 4: {
                            yield {
                                field: `${prefix}.secret`,
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
        return encodeMessage(obj, JoinProof.codec());
    }
    JoinProof.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, JoinProof.codec(), opts);
    }
    JoinProof.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, JoinProof.codec(), opts);
    }
    JoinProof.stream = stream;
})(JoinProof || (JoinProof = {}));
export var JoinRequest;
(function (JoinRequest) {
    let _codec;
    JoinRequest.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if ((obj.secret != null && obj.secret.byteLength > 0)) {
                    w.uint32(10);
                    w.bytes(obj.secret);
                }
                if ((obj.signature != null && obj.signature.byteLength > 0)) {
                    w.uint32(18);
                    w.bytes(obj.signature);
                }
                if (obj.name != null) {
                    w.uint32(26);
                    w.string(obj.name);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    secret: uint8ArrayAlloc(0),
                    signature: uint8ArrayAlloc(0)
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.secret = reader.bytes();
                            break;
                        }
                        case 2: {
                            obj.signature = reader.bytes();
                            break;
                        }
                        case 3: {
                            obj.name = reader.string();
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
                                field: `${prefix}.secret`,
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
                        case 3: {
                            yield {
                                field: `${prefix}.name`,
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
        return encodeMessage(obj, JoinRequest.codec());
    }
    JoinRequest.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, JoinRequest.codec(), opts);
    }
    JoinRequest.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, JoinRequest.codec(), opts);
    }
    JoinRequest.stream = stream;
})(JoinRequest || (JoinRequest = {}));
export var JoinResponse;
(function (JoinResponse) {
    let Status;
    (function (Status) {
        Status["UNSPECIFIED"] = "UNSPECIFIED";
        Status["OK"] = "OK";
        Status["UNKNOWN_SECRET"] = "UNKNOWN_SECRET";
        Status["USED_SECRET"] = "USED_SECRET";
        Status["EXPIRED_SECRET"] = "EXPIRED_SECRET";
        Status["BAD_SIGNATURE"] = "BAD_SIGNATURE";
    })(Status = JoinResponse.Status || (JoinResponse.Status = {}));
    let __StatusValues;
    (function (__StatusValues) {
        __StatusValues[__StatusValues["UNSPECIFIED"] = 0] = "UNSPECIFIED";
        __StatusValues[__StatusValues["OK"] = 1] = "OK";
        __StatusValues[__StatusValues["UNKNOWN_SECRET"] = 2] = "UNKNOWN_SECRET";
        __StatusValues[__StatusValues["USED_SECRET"] = 3] = "USED_SECRET";
        __StatusValues[__StatusValues["EXPIRED_SECRET"] = 4] = "EXPIRED_SECRET";
        __StatusValues[__StatusValues["BAD_SIGNATURE"] = 5] = "BAD_SIGNATURE";
    })(__StatusValues || (__StatusValues = {}));
    (function (Status) {
        Status.codec = () => {
            return enumeration(__StatusValues);
        };
    })(Status = JoinResponse.Status || (JoinResponse.Status = {}));
    let _codec;
    JoinResponse.codec = () => {
        if (_codec == null) {
            _codec = message((obj, w, opts = {}) => {
                if (opts.lengthDelimited !== false) {
                    w.fork();
                }
                if (obj.status != null && __StatusValues[obj.status] !== 0) {
                    w.uint32(8);
                    JoinResponse.Status.codec().encode(obj.status, w);
                }
                if (opts.lengthDelimited !== false) {
                    w.ldelim();
                }
            }, (reader, length, opts = {}) => {
                const obj = {
                    status: Status.UNSPECIFIED
                };
                const end = length == null ? reader.len : reader.pos + length;
                while (reader.pos < end) {
                    const tag = reader.uint32();
                    switch (tag >>> 3) {
                        case 1: {
                            obj.status = JoinResponse.Status.codec().decode(reader);
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
                                value: JoinResponse.Status.codec().decode(reader)
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
        return encodeMessage(obj, JoinResponse.codec());
    }
    JoinResponse.encode = encode;
    function decode(buf, opts) {
        return decodeMessage(buf, JoinResponse.codec(), opts);
    }
    JoinResponse.decode = decode;
    function stream(buf, opts) {
        return streamMessage(buf, JoinResponse.codec(), opts);
    }
    JoinResponse.stream = stream;
})(JoinResponse || (JoinResponse = {}));
