import type { Codec, DecodeOptions } from "protons-runtime";
import type { Uint8ArrayList } from "uint8arraylist";
export interface SessionInitState {
	identityDhKey: Uint8Array<ArrayBuffer>;
	ephemeralKey: Uint8Array<ArrayBuffer>;
	prekeyId: number;
}
export declare namespace SessionInitState {
	const codec: () => Codec<SessionInitState>;
	interface SessionInitStateIdentityDhKeyFieldEvent {
		field: "$.identityDhKey";
		value: Uint8Array<ArrayBuffer>;
	}
	interface SessionInitStateEphemeralKeyFieldEvent {
		field: "$.ephemeralKey";
		value: Uint8Array<ArrayBuffer>;
	}
	interface SessionInitStatePrekeyIdFieldEvent {
		field: "$.prekeyId";
		value: number;
	}
	function encode(obj: Partial<SessionInitState>): Uint8Array<ArrayBuffer>;
	function decode(
		buf: Uint8Array | Uint8ArrayList,
		opts?: DecodeOptions<SessionInitState>,
	): SessionInitState;
	function stream(
		buf: Uint8Array | Uint8ArrayList,
		opts?: DecodeOptions<SessionInitState>,
	): Generator<
		| SessionInitStateIdentityDhKeyFieldEvent
		| SessionInitStateEphemeralKeyFieldEvent
		| SessionInitStatePrekeyIdFieldEvent
	>;
}
export interface SkippedMessageKey {
	ratchetKey: Uint8Array<ArrayBuffer>;
	n: number;
	messageKey: Uint8Array<ArrayBuffer>;
}
export declare namespace SkippedMessageKey {
	const codec: () => Codec<SkippedMessageKey>;
	interface SkippedMessageKeyRatchetKeyFieldEvent {
		field: "$.ratchetKey";
		value: Uint8Array<ArrayBuffer>;
	}
	interface SkippedMessageKeyNFieldEvent {
		field: "$.n";
		value: number;
	}
	interface SkippedMessageKeyMessageKeyFieldEvent {
		field: "$.messageKey";
		value: Uint8Array<ArrayBuffer>;
	}
	function encode(obj: Partial<SkippedMessageKey>): Uint8Array<ArrayBuffer>;
	function decode(
		buf: Uint8Array | Uint8ArrayList,
		opts?: DecodeOptions<SkippedMessageKey>,
	): SkippedMessageKey;
	function stream(
		buf: Uint8Array | Uint8ArrayList,
		opts?: DecodeOptions<SkippedMessageKey>,
	): Generator<
		| SkippedMessageKeyRatchetKeyFieldEvent
		| SkippedMessageKeyNFieldEvent
		| SkippedMessageKeyMessageKeyFieldEvent
	>;
}
export interface SessionState {
	version: number;
	initiator: boolean;
	handshakeId: Uint8Array<ArrayBuffer>;
	associatedData: Uint8Array<ArrayBuffer>;
	rootKey: Uint8Array<ArrayBuffer>;
	sendingPrivateKey: Uint8Array<ArrayBuffer>;
	sendingPublicKey: Uint8Array<ArrayBuffer>;
	remoteRatchetKey: Uint8Array<ArrayBuffer>;
	sendingChainKey: Uint8Array<ArrayBuffer>;
	receivingChainKey: Uint8Array<ArrayBuffer>;
	sendCount: number;
	receiveCount: number;
	previousSendCount: number;
	pendingInit?: SessionInitState;
	skipped: SkippedMessageKey[];
	retiredRatchetKeys: Uint8Array<ArrayBuffer>[];
	received: boolean;
}
export declare namespace SessionState {
	const codec: () => Codec<SessionState>;
	interface SessionStateVersionFieldEvent {
		field: "$.version";
		value: number;
	}
	interface SessionStateInitiatorFieldEvent {
		field: "$.initiator";
		value: boolean;
	}
	interface SessionStateHandshakeIdFieldEvent {
		field: "$.handshakeId";
		value: Uint8Array<ArrayBuffer>;
	}
	interface SessionStateAssociatedDataFieldEvent {
		field: "$.associatedData";
		value: Uint8Array<ArrayBuffer>;
	}
	interface SessionStateRootKeyFieldEvent {
		field: "$.rootKey";
		value: Uint8Array<ArrayBuffer>;
	}
	interface SessionStateSendingPrivateKeyFieldEvent {
		field: "$.sendingPrivateKey";
		value: Uint8Array<ArrayBuffer>;
	}
	interface SessionStateSendingPublicKeyFieldEvent {
		field: "$.sendingPublicKey";
		value: Uint8Array<ArrayBuffer>;
	}
	interface SessionStateRemoteRatchetKeyFieldEvent {
		field: "$.remoteRatchetKey";
		value: Uint8Array<ArrayBuffer>;
	}
	interface SessionStateSendingChainKeyFieldEvent {
		field: "$.sendingChainKey";
		value: Uint8Array<ArrayBuffer>;
	}
	interface SessionStateReceivingChainKeyFieldEvent {
		field: "$.receivingChainKey";
		value: Uint8Array<ArrayBuffer>;
	}
	interface SessionStateSendCountFieldEvent {
		field: "$.sendCount";
		value: number;
	}
	interface SessionStateReceiveCountFieldEvent {
		field: "$.receiveCount";
		value: number;
	}
	interface SessionStatePreviousSendCountFieldEvent {
		field: "$.previousSendCount";
		value: number;
	}
	interface SessionStatePendingInitIdentityDhKeyFieldEvent {
		field: "$.pendingInit.identityDhKey";
		value: Uint8Array<ArrayBuffer>;
	}
	interface SessionStatePendingInitEphemeralKeyFieldEvent {
		field: "$.pendingInit.ephemeralKey";
		value: Uint8Array<ArrayBuffer>;
	}
	interface SessionStatePendingInitPrekeyIdFieldEvent {
		field: "$.pendingInit.prekeyId";
		value: number;
	}
	interface SessionStateSkippedRatchetKeyFieldEvent {
		field: "$.skipped[].ratchetKey";
		value: Uint8Array<ArrayBuffer>;
		index: number;
	}
	interface SessionStateSkippedNFieldEvent {
		field: "$.skipped[].n";
		value: number;
		index: number;
	}
	interface SessionStateSkippedMessageKeyFieldEvent {
		field: "$.skipped[].messageKey";
		value: Uint8Array<ArrayBuffer>;
		index: number;
	}
	interface SessionStateRetiredRatchetKeysFieldEvent {
		field: "$.retiredRatchetKeys[]";
		index: number;
		value: Uint8Array<ArrayBuffer>;
	}
	interface SessionStateReceivedFieldEvent {
		field: "$.received";
		value: boolean;
	}
	function encode(obj: Partial<SessionState>): Uint8Array<ArrayBuffer>;
	function decode(
		buf: Uint8Array | Uint8ArrayList,
		opts?: DecodeOptions<SessionState>,
	): SessionState;
	function stream(
		buf: Uint8Array | Uint8ArrayList,
		opts?: DecodeOptions<SessionState>,
	): Generator<
		| SessionStateVersionFieldEvent
		| SessionStateInitiatorFieldEvent
		| SessionStateHandshakeIdFieldEvent
		| SessionStateAssociatedDataFieldEvent
		| SessionStateRootKeyFieldEvent
		| SessionStateSendingPrivateKeyFieldEvent
		| SessionStateSendingPublicKeyFieldEvent
		| SessionStateRemoteRatchetKeyFieldEvent
		| SessionStateSendingChainKeyFieldEvent
		| SessionStateReceivingChainKeyFieldEvent
		| SessionStateSendCountFieldEvent
		| SessionStateReceiveCountFieldEvent
		| SessionStatePreviousSendCountFieldEvent
		| SessionStatePendingInitIdentityDhKeyFieldEvent
		| SessionStatePendingInitEphemeralKeyFieldEvent
		| SessionStatePendingInitPrekeyIdFieldEvent
		| SessionStateSkippedRatchetKeyFieldEvent
		| SessionStateSkippedNFieldEvent
		| SessionStateSkippedMessageKeyFieldEvent
		| SessionStateRetiredRatchetKeysFieldEvent
		| SessionStateReceivedFieldEvent
	>;
}
