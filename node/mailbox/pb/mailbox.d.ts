import type { Codec, DecodeOptions } from 'protons-runtime';
import type { Uint8ArrayList } from 'uint8arraylist';
export interface QueueCreate {
    credentialHash: Uint8Array<ArrayBuffer>;
    public: boolean;
}
export declare namespace QueueCreate {
    const codec: () => Codec<QueueCreate>;
    interface QueueCreateCredentialHashFieldEvent {
        field: '$.credentialHash';
        value: Uint8Array<ArrayBuffer>;
    }
    interface QueueCreatePublicFieldEvent {
        field: '$.public';
        value: boolean;
    }
    function encode(obj: Partial<QueueCreate>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<QueueCreate>): QueueCreate;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<QueueCreate>): Generator<QueueCreateCredentialHashFieldEvent | QueueCreatePublicFieldEvent>;
}
export interface Deposit {
    queueId: Uint8Array<ArrayBuffer>;
    credential: Uint8Array<ArrayBuffer>;
    blob: Uint8Array<ArrayBuffer>;
    powNonce: number;
}
export declare namespace Deposit {
    const codec: () => Codec<Deposit>;
    interface DepositQueueIdFieldEvent {
        field: '$.queueId';
        value: Uint8Array<ArrayBuffer>;
    }
    interface DepositCredentialFieldEvent {
        field: '$.credential';
        value: Uint8Array<ArrayBuffer>;
    }
    interface DepositBlobFieldEvent {
        field: '$.blob';
        value: Uint8Array<ArrayBuffer>;
    }
    interface DepositPowNonceFieldEvent {
        field: '$.powNonce';
        value: number;
    }
    function encode(obj: Partial<Deposit>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Deposit>): Deposit;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Deposit>): Generator<DepositQueueIdFieldEvent | DepositCredentialFieldEvent | DepositBlobFieldEvent | DepositPowNonceFieldEvent>;
}
export interface Subscribe {
}
export declare namespace Subscribe {
    const codec: () => Codec<Subscribe>;
    function encode(obj: Partial<Subscribe>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Subscribe>): Subscribe;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Subscribe>): Generator<{}>;
}
export interface Delete {
    depositIds: Uint8Array<ArrayBuffer>[];
}
export declare namespace Delete {
    const codec: () => Codec<Delete>;
    interface DeleteDepositIdsFieldEvent {
        field: '$.depositIds[]';
        index: number;
        value: Uint8Array<ArrayBuffer>;
    }
    function encode(obj: Partial<Delete>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Delete>): Delete;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Delete>): Generator<DeleteDepositIdsFieldEvent>;
}
export interface QueueDelete {
    queueId: Uint8Array<ArrayBuffer>;
}
export declare namespace QueueDelete {
    const codec: () => Codec<QueueDelete>;
    interface QueueDeleteQueueIdFieldEvent {
        field: '$.queueId';
        value: Uint8Array<ArrayBuffer>;
    }
    function encode(obj: Partial<QueueDelete>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<QueueDelete>): QueueDelete;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<QueueDelete>): Generator<QueueDeleteQueueIdFieldEvent>;
}
export interface MailboxRequest {
    queueCreate?: QueueCreate;
    deposit?: Deposit;
    subscribe?: Subscribe;
    delete?: Delete;
    queueDelete?: QueueDelete;
}
export declare namespace MailboxRequest {
    const codec: () => Codec<MailboxRequest>;
    interface MailboxRequestQueueCreateCredentialHashFieldEvent {
        field: '$.queueCreate.credentialHash';
        value: Uint8Array<ArrayBuffer>;
    }
    interface MailboxRequestQueueCreatePublicFieldEvent {
        field: '$.queueCreate.public';
        value: boolean;
    }
    interface MailboxRequestDepositQueueIdFieldEvent {
        field: '$.deposit.queueId';
        value: Uint8Array<ArrayBuffer>;
    }
    interface MailboxRequestDepositCredentialFieldEvent {
        field: '$.deposit.credential';
        value: Uint8Array<ArrayBuffer>;
    }
    interface MailboxRequestDepositBlobFieldEvent {
        field: '$.deposit.blob';
        value: Uint8Array<ArrayBuffer>;
    }
    interface MailboxRequestDepositPowNonceFieldEvent {
        field: '$.deposit.powNonce';
        value: number;
    }
    interface MailboxRequestDeleteDepositIdsFieldEvent {
        field: '$.delete.depositIds[]';
        index: number;
        value: Uint8Array<ArrayBuffer>;
    }
    interface MailboxRequestQueueDeleteQueueIdFieldEvent {
        field: '$.queueDelete.queueId';
        value: Uint8Array<ArrayBuffer>;
    }
    function encode(obj: Partial<MailboxRequest>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MailboxRequest>): MailboxRequest;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MailboxRequest>): Generator<MailboxRequestQueueCreateCredentialHashFieldEvent | MailboxRequestQueueCreatePublicFieldEvent | MailboxRequestDepositQueueIdFieldEvent | MailboxRequestDepositCredentialFieldEvent | MailboxRequestDepositBlobFieldEvent | MailboxRequestDepositPowNonceFieldEvent | MailboxRequestDeleteDepositIdsFieldEvent | MailboxRequestQueueDeleteQueueIdFieldEvent>;
}
export interface StoredDeposit {
    depositId: Uint8Array<ArrayBuffer>;
    queueId: Uint8Array<ArrayBuffer>;
    storedAt: number;
    blob: Uint8Array<ArrayBuffer>;
}
export declare namespace StoredDeposit {
    const codec: () => Codec<StoredDeposit>;
    interface StoredDepositDepositIdFieldEvent {
        field: '$.depositId';
        value: Uint8Array<ArrayBuffer>;
    }
    interface StoredDepositQueueIdFieldEvent {
        field: '$.queueId';
        value: Uint8Array<ArrayBuffer>;
    }
    interface StoredDepositStoredAtFieldEvent {
        field: '$.storedAt';
        value: number;
    }
    interface StoredDepositBlobFieldEvent {
        field: '$.blob';
        value: Uint8Array<ArrayBuffer>;
    }
    function encode(obj: Partial<StoredDeposit>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoredDeposit>): StoredDeposit;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoredDeposit>): Generator<StoredDepositDepositIdFieldEvent | StoredDepositQueueIdFieldEvent | StoredDepositStoredAtFieldEvent | StoredDepositBlobFieldEvent>;
}
export interface MailboxResponse {
    status: MailboxResponse.Status;
    queueId: Uint8Array<ArrayBuffer>;
    powDifficulty: number;
    deposit?: StoredDeposit;
}
export declare namespace MailboxResponse {
    enum Status {
        UNSPECIFIED = "UNSPECIFIED",
        OK = "OK",
        NOT_A_MEMBER = "NOT_A_MEMBER",
        UNKNOWN_QUEUE = "UNKNOWN_QUEUE",
        QUEUE_FULL = "QUEUE_FULL",
        MEMBER_FULL = "MEMBER_FULL",
        TOO_LARGE = "TOO_LARGE",
        RATE_LIMITED = "RATE_LIMITED",
        POW_REQUIRED = "POW_REQUIRED",
        BAD_REQUEST = "BAD_REQUEST",
        TOO_MANY_QUEUES = "TOO_MANY_QUEUES"
    }
    namespace Status {
        const codec: () => Codec<Status>;
    }
    const codec: () => Codec<MailboxResponse>;
    interface MailboxResponseStatusFieldEvent {
        field: '$.status';
        value: MailboxResponse.Status;
    }
    interface MailboxResponseQueueIdFieldEvent {
        field: '$.queueId';
        value: Uint8Array<ArrayBuffer>;
    }
    interface MailboxResponsePowDifficultyFieldEvent {
        field: '$.powDifficulty';
        value: number;
    }
    interface MailboxResponseDepositDepositIdFieldEvent {
        field: '$.deposit.depositId';
        value: Uint8Array<ArrayBuffer>;
    }
    interface MailboxResponseDepositQueueIdFieldEvent {
        field: '$.deposit.queueId';
        value: Uint8Array<ArrayBuffer>;
    }
    interface MailboxResponseDepositStoredAtFieldEvent {
        field: '$.deposit.storedAt';
        value: number;
    }
    interface MailboxResponseDepositBlobFieldEvent {
        field: '$.deposit.blob';
        value: Uint8Array<ArrayBuffer>;
    }
    function encode(obj: Partial<MailboxResponse>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MailboxResponse>): MailboxResponse;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MailboxResponse>): Generator<MailboxResponseStatusFieldEvent | MailboxResponseQueueIdFieldEvent | MailboxResponsePowDifficultyFieldEvent | MailboxResponseDepositDepositIdFieldEvent | MailboxResponseDepositQueueIdFieldEvent | MailboxResponseDepositStoredAtFieldEvent | MailboxResponseDepositBlobFieldEvent>;
}
