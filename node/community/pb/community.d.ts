import type { Codec, DecodeOptions } from 'protons-runtime';
import type { Uint8ArrayList } from 'uint8arraylist';
export interface JoinChallenge {
    nonce: Uint8Array<ArrayBuffer>;
}
export declare namespace JoinChallenge {
    const codec: () => Codec<JoinChallenge>;
    interface JoinChallengeNonceFieldEvent {
        field: '$.nonce';
        value: Uint8Array<ArrayBuffer>;
    }
    function encode(obj: Partial<JoinChallenge>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<JoinChallenge>): JoinChallenge;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<JoinChallenge>): Generator<JoinChallengeNonceFieldEvent>;
}
export interface JoinProof {
    community: Uint8Array<ArrayBuffer>;
    member: Uint8Array<ArrayBuffer>;
    nonce: Uint8Array<ArrayBuffer>;
    secret: Uint8Array<ArrayBuffer>;
}
export declare namespace JoinProof {
    const codec: () => Codec<JoinProof>;
    interface JoinProofCommunityFieldEvent {
        field: '$.community';
        value: Uint8Array<ArrayBuffer>;
    }
    interface JoinProofMemberFieldEvent {
        field: '$.member';
        value: Uint8Array<ArrayBuffer>;
    }
    interface JoinProofNonceFieldEvent {
        field: '$.nonce';
        value: Uint8Array<ArrayBuffer>;
    }
    interface JoinProofSecretFieldEvent {
        field: '$.secret';
        value: Uint8Array<ArrayBuffer>;
    }
    function encode(obj: Partial<JoinProof>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<JoinProof>): JoinProof;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<JoinProof>): Generator<JoinProofCommunityFieldEvent | JoinProofMemberFieldEvent | JoinProofNonceFieldEvent | JoinProofSecretFieldEvent>;
}
export interface JoinRequest {
    secret: Uint8Array<ArrayBuffer>;
    signature: Uint8Array<ArrayBuffer>;
    name?: string;
}
export declare namespace JoinRequest {
    const codec: () => Codec<JoinRequest>;
    interface JoinRequestSecretFieldEvent {
        field: '$.secret';
        value: Uint8Array<ArrayBuffer>;
    }
    interface JoinRequestSignatureFieldEvent {
        field: '$.signature';
        value: Uint8Array<ArrayBuffer>;
    }
    interface JoinRequestNameFieldEvent {
        field: '$.name';
        value: string;
    }
    function encode(obj: Partial<JoinRequest>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<JoinRequest>): JoinRequest;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<JoinRequest>): Generator<JoinRequestSecretFieldEvent | JoinRequestSignatureFieldEvent | JoinRequestNameFieldEvent>;
}
export interface JoinResponse {
    status: JoinResponse.Status;
}
export declare namespace JoinResponse {
    enum Status {
        UNSPECIFIED = "UNSPECIFIED",
        OK = "OK",
        UNKNOWN_SECRET = "UNKNOWN_SECRET",
        USED_SECRET = "USED_SECRET",
        EXPIRED_SECRET = "EXPIRED_SECRET",
        BAD_SIGNATURE = "BAD_SIGNATURE"
    }
    namespace Status {
        const codec: () => Codec<Status>;
    }
    const codec: () => Codec<JoinResponse>;
    interface JoinResponseStatusFieldEvent {
        field: '$.status';
        value: JoinResponse.Status;
    }
    function encode(obj: Partial<JoinResponse>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<JoinResponse>): JoinResponse;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<JoinResponse>): Generator<JoinResponseStatusFieldEvent>;
}
