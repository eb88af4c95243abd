import type { Codec, DecodeOptions } from 'protons-runtime';
import type { Uint8ArrayList } from 'uint8arraylist';
export interface ProfileBody {
    peerId: Uint8Array<ArrayBuffer>;
    dhKey: Uint8Array<ArrayBuffer>;
    prekeyId: number;
    prekey: Uint8Array<ArrayBuffer>;
    prekeySignature: Uint8Array<ArrayBuffer>;
    addresses: Uint8Array<ArrayBuffer>[];
    sequence: bigint;
    expiresAt: bigint;
    mailboxes: PublicQueueRecord[];
}
export declare namespace ProfileBody {
    const codec: () => Codec<ProfileBody>;
    interface ProfileBodyPeerIdFieldEvent {
        field: '$.peerId';
        value: Uint8Array<ArrayBuffer>;
    }
    interface ProfileBodyDhKeyFieldEvent {
        field: '$.dhKey';
        value: Uint8Array<ArrayBuffer>;
    }
    interface ProfileBodyPrekeyIdFieldEvent {
        field: '$.prekeyId';
        value: number;
    }
    interface ProfileBodyPrekeyFieldEvent {
        field: '$.prekey';
        value: Uint8Array<ArrayBuffer>;
    }
    interface ProfileBodyPrekeySignatureFieldEvent {
        field: '$.prekeySignature';
        value: Uint8Array<ArrayBuffer>;
    }
    interface ProfileBodyAddressesFieldEvent {
        field: '$.addresses[]';
        index: number;
        value: Uint8Array<ArrayBuffer>;
    }
    interface ProfileBodySequenceFieldEvent {
        field: '$.sequence';
        value: bigint;
    }
    interface ProfileBodyExpiresAtFieldEvent {
        field: '$.expiresAt';
        value: bigint;
    }
    interface ProfileBodyMailboxesCommunityFieldEvent {
        field: '$.mailboxes[].community';
        value: Uint8Array<ArrayBuffer>;
        index: number;
    }
    interface ProfileBodyMailboxesAddressesFieldEvent {
        field: '$.mailboxes[].addresses[]';
        index: number;
        value: Uint8Array<ArrayBuffer>;
    }
    interface ProfileBodyMailboxesQueueIdFieldEvent {
        field: '$.mailboxes[].queueId';
        value: Uint8Array<ArrayBuffer>;
        index: number;
    }
    function encode(obj: Partial<ProfileBody>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ProfileBody>): ProfileBody;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ProfileBody>): Generator<ProfileBodyPeerIdFieldEvent | ProfileBodyDhKeyFieldEvent | ProfileBodyPrekeyIdFieldEvent | ProfileBodyPrekeyFieldEvent | ProfileBodyPrekeySignatureFieldEvent | ProfileBodyAddressesFieldEvent | ProfileBodySequenceFieldEvent | ProfileBodyExpiresAtFieldEvent | ProfileBodyMailboxesCommunityFieldEvent | ProfileBodyMailboxesAddressesFieldEvent | ProfileBodyMailboxesQueueIdFieldEvent>;
}
export interface PublicQueueRecord {
    community: Uint8Array<ArrayBuffer>;
    addresses: Uint8Array<ArrayBuffer>[];
    queueId: Uint8Array<ArrayBuffer>;
}
export declare namespace PublicQueueRecord {
    const codec: () => Codec<PublicQueueRecord>;
    interface PublicQueueRecordCommunityFieldEvent {
        field: '$.community';
        value: Uint8Array<ArrayBuffer>;
    }
    interface PublicQueueRecordAddressesFieldEvent {
        field: '$.addresses[]';
        index: number;
        value: Uint8Array<ArrayBuffer>;
    }
    interface PublicQueueRecordQueueIdFieldEvent {
        field: '$.queueId';
        value: Uint8Array<ArrayBuffer>;
    }
    function encode(obj: Partial<PublicQueueRecord>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PublicQueueRecord>): PublicQueueRecord;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PublicQueueRecord>): Generator<PublicQueueRecordCommunityFieldEvent | PublicQueueRecordAddressesFieldEvent | PublicQueueRecordQueueIdFieldEvent>;
}
export interface ProfileRecord {
    body: Uint8Array<ArrayBuffer>;
    signature: Uint8Array<ArrayBuffer>;
}
export declare namespace ProfileRecord {
    const codec: () => Codec<ProfileRecord>;
    interface ProfileRecordBodyFieldEvent {
        field: '$.body';
        value: Uint8Array<ArrayBuffer>;
    }
    interface ProfileRecordSignatureFieldEvent {
        field: '$.signature';
        value: Uint8Array<ArrayBuffer>;
    }
    function encode(obj: Partial<ProfileRecord>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ProfileRecord>): ProfileRecord;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ProfileRecord>): Generator<ProfileRecordBodyFieldEvent | ProfileRecordSignatureFieldEvent>;
}
export interface NameClaimBody {
    name: string;
    peerId: Uint8Array<ArrayBuffer>;
    claimedAt: bigint;
    sequence: bigint;
    expiresAt: bigint;
}
export declare namespace NameClaimBody {
    const codec: () => Codec<NameClaimBody>;
    interface NameClaimBodyNameFieldEvent {
        field: '$.name';
        value: string;
    }
    interface NameClaimBodyPeerIdFieldEvent {
        field: '$.peerId';
        value: Uint8Array<ArrayBuffer>;
    }
    interface NameClaimBodyClaimedAtFieldEvent {
        field: '$.claimedAt';
        value: bigint;
    }
    interface NameClaimBodySequenceFieldEvent {
        field: '$.sequence';
        value: bigint;
    }
    interface NameClaimBodyExpiresAtFieldEvent {
        field: '$.expiresAt';
        value: bigint;
    }
    function encode(obj: Partial<NameClaimBody>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<NameClaimBody>): NameClaimBody;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<NameClaimBody>): Generator<NameClaimBodyNameFieldEvent | NameClaimBodyPeerIdFieldEvent | NameClaimBodyClaimedAtFieldEvent | NameClaimBodySequenceFieldEvent | NameClaimBodyExpiresAtFieldEvent>;
}
export interface NameClaimRecord {
    body: Uint8Array<ArrayBuffer>;
    signature: Uint8Array<ArrayBuffer>;
}
export declare namespace NameClaimRecord {
    const codec: () => Codec<NameClaimRecord>;
    interface NameClaimRecordBodyFieldEvent {
        field: '$.body';
        value: Uint8Array<ArrayBuffer>;
    }
    interface NameClaimRecordSignatureFieldEvent {
        field: '$.signature';
        value: Uint8Array<ArrayBuffer>;
    }
    function encode(obj: Partial<NameClaimRecord>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<NameClaimRecord>): NameClaimRecord;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<NameClaimRecord>): Generator<NameClaimRecordBodyFieldEvent | NameClaimRecordSignatureFieldEvent>;
}
