import type { Codec, DecodeOptions } from "protons-runtime";
import type { Uint8ArrayList } from "uint8arraylist";
export interface SessionInit {
	identityDhKey: Uint8Array<ArrayBuffer>;
	ephemeralKey: Uint8Array<ArrayBuffer>;
	prekeyId: number;
}
export declare namespace SessionInit {
	const codec: () => Codec<SessionInit>;
	interface SessionInitIdentityDhKeyFieldEvent {
		field: "$.identityDhKey";
		value: Uint8Array<ArrayBuffer>;
	}
	interface SessionInitEphemeralKeyFieldEvent {
		field: "$.ephemeralKey";
		value: Uint8Array<ArrayBuffer>;
	}
	interface SessionInitPrekeyIdFieldEvent {
		field: "$.prekeyId";
		value: number;
	}
	function encode(obj: Partial<SessionInit>): Uint8Array<ArrayBuffer>;
	function decode(
		buf: Uint8Array | Uint8ArrayList,
		opts?: DecodeOptions<SessionInit>,
	): SessionInit;
	function stream(
		buf: Uint8Array | Uint8ArrayList,
		opts?: DecodeOptions<SessionInit>,
	): Generator<
		| SessionInitIdentityDhKeyFieldEvent
		| SessionInitEphemeralKeyFieldEvent
		| SessionInitPrekeyIdFieldEvent
	>;
}
export interface RatchetHeader {
	ratchetKey: Uint8Array<ArrayBuffer>;
	previousChainLength: number;
	messageNumber: number;
	init?: SessionInit;
}
export declare namespace RatchetHeader {
	const codec: () => Codec<RatchetHeader>;
	interface RatchetHeaderRatchetKeyFieldEvent {
		field: "$.ratchetKey";
		value: Uint8Array<ArrayBuffer>;
	}
	interface RatchetHeaderPreviousChainLengthFieldEvent {
		field: "$.previousChainLength";
		value: number;
	}
	interface RatchetHeaderMessageNumberFieldEvent {
		field: "$.messageNumber";
		value: number;
	}
	interface RatchetHeaderInitIdentityDhKeyFieldEvent {
		field: "$.init.identityDhKey";
		value: Uint8Array<ArrayBuffer>;
	}
	interface RatchetHeaderInitEphemeralKeyFieldEvent {
		field: "$.init.ephemeralKey";
		value: Uint8Array<ArrayBuffer>;
	}
	interface RatchetHeaderInitPrekeyIdFieldEvent {
		field: "$.init.prekeyId";
		value: number;
	}
	function encode(obj: Partial<RatchetHeader>): Uint8Array<ArrayBuffer>;
	function decode(
		buf: Uint8Array | Uint8ArrayList,
		opts?: DecodeOptions<RatchetHeader>,
	): RatchetHeader;
	function stream(
		buf: Uint8Array | Uint8ArrayList,
		opts?: DecodeOptions<RatchetHeader>,
	): Generator<
		| RatchetHeaderRatchetKeyFieldEvent
		| RatchetHeaderPreviousChainLengthFieldEvent
		| RatchetHeaderMessageNumberFieldEvent
		| RatchetHeaderInitIdentityDhKeyFieldEvent
		| RatchetHeaderInitEphemeralKeyFieldEvent
		| RatchetHeaderInitPrekeyIdFieldEvent
	>;
}
export interface EnvelopeBody {
	id: Uint8Array<ArrayBuffer>;
	sender: Uint8Array<ArrayBuffer>;
	recipient: Uint8Array<ArrayBuffer>;
	sentAt: number;
	seq: number;
	prevHash: Uint8Array<ArrayBuffer>;
	header?: RatchetHeader;
	ciphertext: Uint8Array<ArrayBuffer>;
}
export declare namespace EnvelopeBody {
	const codec: () => Codec<EnvelopeBody>;
	interface EnvelopeBodyIdFieldEvent {
		field: "$.id";
		value: Uint8Array<ArrayBuffer>;
	}
	interface EnvelopeBodySenderFieldEvent {
		field: "$.sender";
		value: Uint8Array<ArrayBuffer>;
	}
	interface EnvelopeBodyRecipientFieldEvent {
		field: "$.recipient";
		value: Uint8Array<ArrayBuffer>;
	}
	interface EnvelopeBodySentAtFieldEvent {
		field: "$.sentAt";
		value: number;
	}
	interface EnvelopeBodySeqFieldEvent {
		field: "$.seq";
		value: number;
	}
	interface EnvelopeBodyPrevHashFieldEvent {
		field: "$.prevHash";
		value: Uint8Array<ArrayBuffer>;
	}
	interface EnvelopeBodyHeaderRatchetKeyFieldEvent {
		field: "$.header.ratchetKey";
		value: Uint8Array<ArrayBuffer>;
	}
	interface EnvelopeBodyHeaderPreviousChainLengthFieldEvent {
		field: "$.header.previousChainLength";
		value: number;
	}
	interface EnvelopeBodyHeaderMessageNumberFieldEvent {
		field: "$.header.messageNumber";
		value: number;
	}
	interface EnvelopeBodyHeaderInitIdentityDhKeyFieldEvent {
		field: "$.header.init.identityDhKey";
		value: Uint8Array<ArrayBuffer>;
	}
	interface EnvelopeBodyHeaderInitEphemeralKeyFieldEvent {
		field: "$.header.init.ephemeralKey";
		value: Uint8Array<ArrayBuffer>;
	}
	interface EnvelopeBodyHeaderInitPrekeyIdFieldEvent {
		field: "$.header.init.prekeyId";
		value: number;
	}
	interface EnvelopeBodyCiphertextFieldEvent {
		field: "$.ciphertext";
		value: Uint8Array<ArrayBuffer>;
	}
	function encode(obj: Partial<EnvelopeBody>): Uint8Array<ArrayBuffer>;
	function decode(
		buf: Uint8Array | Uint8ArrayList,
		opts?: DecodeOptions<EnvelopeBody>,
	): EnvelopeBody;
	function stream(
		buf: Uint8Array | Uint8ArrayList,
		opts?: DecodeOptions<EnvelopeBody>,
	): Generator<
		| EnvelopeBodyIdFieldEvent
		| EnvelopeBodySenderFieldEvent
		| EnvelopeBodyRecipientFieldEvent
		| EnvelopeBodySentAtFieldEvent
		| EnvelopeBodySeqFieldEvent
		| EnvelopeBodyPrevHashFieldEvent
		| EnvelopeBodyHeaderRatchetKeyFieldEvent
		| EnvelopeBodyHeaderPreviousChainLengthFieldEvent
		| EnvelopeBodyHeaderMessageNumberFieldEvent
		| EnvelopeBodyHeaderInitIdentityDhKeyFieldEvent
		| EnvelopeBodyHeaderInitEphemeralKeyFieldEvent
		| EnvelopeBodyHeaderInitPrekeyIdFieldEvent
		| EnvelopeBodyCiphertextFieldEvent
	>;
}
export interface Envelope {
	body: Uint8Array<ArrayBuffer>;
	signature: Uint8Array<ArrayBuffer>;
}
export declare namespace Envelope {
	const codec: () => Codec<Envelope>;
	interface EnvelopeBodyFieldEvent {
		field: "$.body";
		value: Uint8Array<ArrayBuffer>;
	}
	interface EnvelopeSignatureFieldEvent {
		field: "$.signature";
		value: Uint8Array<ArrayBuffer>;
	}
	function encode(obj: Partial<Envelope>): Uint8Array<ArrayBuffer>;
	function decode(
		buf: Uint8Array | Uint8ArrayList,
		opts?: DecodeOptions<Envelope>,
	): Envelope;
	function stream(
		buf: Uint8Array | Uint8ArrayList,
		opts?: DecodeOptions<Envelope>,
	): Generator<EnvelopeBodyFieldEvent | EnvelopeSignatureFieldEvent>;
}
export interface AckBody {
	receiver: Uint8Array<ArrayBuffer>;
	sender: Uint8Array<ArrayBuffer>;
	messageIds: Uint8Array<ArrayBuffer>[];
	ackedAt: number;
}
export declare namespace AckBody {
	const codec: () => Codec<AckBody>;
	interface AckBodyReceiverFieldEvent {
		field: "$.receiver";
		value: Uint8Array<ArrayBuffer>;
	}
	interface AckBodySenderFieldEvent {
		field: "$.sender";
		value: Uint8Array<ArrayBuffer>;
	}
	interface AckBodyMessageIdsFieldEvent {
		field: "$.messageIds[]";
		index: number;
		value: Uint8Array<ArrayBuffer>;
	}
	interface AckBodyAckedAtFieldEvent {
		field: "$.ackedAt";
		value: number;
	}
	function encode(obj: Partial<AckBody>): Uint8Array<ArrayBuffer>;
	function decode(
		buf: Uint8Array | Uint8ArrayList,
		opts?: DecodeOptions<AckBody>,
	): AckBody;
	function stream(
		buf: Uint8Array | Uint8ArrayList,
		opts?: DecodeOptions<AckBody>,
	): Generator<
		| AckBodyReceiverFieldEvent
		| AckBodySenderFieldEvent
		| AckBodyMessageIdsFieldEvent
		| AckBodyAckedAtFieldEvent
	>;
}
export interface Ack {
	body: Uint8Array<ArrayBuffer>;
	signature: Uint8Array<ArrayBuffer>;
}
export declare namespace Ack {
	const codec: () => Codec<Ack>;
	interface AckBodyFieldEvent {
		field: "$.body";
		value: Uint8Array<ArrayBuffer>;
	}
	interface AckSignatureFieldEvent {
		field: "$.signature";
		value: Uint8Array<ArrayBuffer>;
	}
	function encode(obj: Partial<Ack>): Uint8Array<ArrayBuffer>;
	function decode(
		buf: Uint8Array | Uint8ArrayList,
		opts?: DecodeOptions<Ack>,
	): Ack;
	function stream(
		buf: Uint8Array | Uint8ArrayList,
		opts?: DecodeOptions<Ack>,
	): Generator<AckBodyFieldEvent | AckSignatureFieldEvent>;
}
export interface SessionResetBody {
	requester: Uint8Array<ArrayBuffer>;
	sender: Uint8Array<ArrayBuffer>;
	envelopeId: Uint8Array<ArrayBuffer>;
	envelopeHash: Uint8Array<ArrayBuffer>;
	lastSeq: number;
	lastHash: Uint8Array<ArrayBuffer>;
}
export declare namespace SessionResetBody {
	const codec: () => Codec<SessionResetBody>;
	interface SessionResetBodyRequesterFieldEvent {
		field: "$.requester";
		value: Uint8Array<ArrayBuffer>;
	}
	interface SessionResetBodySenderFieldEvent {
		field: "$.sender";
		value: Uint8Array<ArrayBuffer>;
	}
	interface SessionResetBodyEnvelopeIdFieldEvent {
		field: "$.envelopeId";
		value: Uint8Array<ArrayBuffer>;
	}
	interface SessionResetBodyEnvelopeHashFieldEvent {
		field: "$.envelopeHash";
		value: Uint8Array<ArrayBuffer>;
	}
	interface SessionResetBodyLastSeqFieldEvent {
		field: "$.lastSeq";
		value: number;
	}
	interface SessionResetBodyLastHashFieldEvent {
		field: "$.lastHash";
		value: Uint8Array<ArrayBuffer>;
	}
	function encode(obj: Partial<SessionResetBody>): Uint8Array<ArrayBuffer>;
	function decode(
		buf: Uint8Array | Uint8ArrayList,
		opts?: DecodeOptions<SessionResetBody>,
	): SessionResetBody;
	function stream(
		buf: Uint8Array | Uint8ArrayList,
		opts?: DecodeOptions<SessionResetBody>,
	): Generator<
		| SessionResetBodyRequesterFieldEvent
		| SessionResetBodySenderFieldEvent
		| SessionResetBodyEnvelopeIdFieldEvent
		| SessionResetBodyEnvelopeHashFieldEvent
		| SessionResetBodyLastSeqFieldEvent
		| SessionResetBodyLastHashFieldEvent
	>;
}
export interface SessionReset {
	body: Uint8Array<ArrayBuffer>;
	signature: Uint8Array<ArrayBuffer>;
}
export declare namespace SessionReset {
	const codec: () => Codec<SessionReset>;
	interface SessionResetBodyFieldEvent {
		field: "$.body";
		value: Uint8Array<ArrayBuffer>;
	}
	interface SessionResetSignatureFieldEvent {
		field: "$.signature";
		value: Uint8Array<ArrayBuffer>;
	}
	function encode(obj: Partial<SessionReset>): Uint8Array<ArrayBuffer>;
	function decode(
		buf: Uint8Array | Uint8ArrayList,
		opts?: DecodeOptions<SessionReset>,
	): SessionReset;
	function stream(
		buf: Uint8Array | Uint8ArrayList,
		opts?: DecodeOptions<SessionReset>,
	): Generator<SessionResetBodyFieldEvent | SessionResetSignatureFieldEvent>;
}
export interface Frame {
	envelope?: Envelope;
	ack?: Ack;
	sessionReset?: SessionReset;
}
export declare namespace Frame {
	const codec: () => Codec<Frame>;
	interface FrameEnvelopeBodyFieldEvent {
		field: "$.envelope.body";
		value: Uint8Array<ArrayBuffer>;
	}
	interface FrameEnvelopeSignatureFieldEvent {
		field: "$.envelope.signature";
		value: Uint8Array<ArrayBuffer>;
	}
	interface FrameAckBodyFieldEvent {
		field: "$.ack.body";
		value: Uint8Array<ArrayBuffer>;
	}
	interface FrameAckSignatureFieldEvent {
		field: "$.ack.signature";
		value: Uint8Array<ArrayBuffer>;
	}
	interface FrameSessionResetBodyFieldEvent {
		field: "$.sessionReset.body";
		value: Uint8Array<ArrayBuffer>;
	}
	interface FrameSessionResetSignatureFieldEvent {
		field: "$.sessionReset.signature";
		value: Uint8Array<ArrayBuffer>;
	}
	function encode(obj: Partial<Frame>): Uint8Array<ArrayBuffer>;
	function decode(
		buf: Uint8Array | Uint8ArrayList,
		opts?: DecodeOptions<Frame>,
	): Frame;
	function stream(
		buf: Uint8Array | Uint8ArrayList,
		opts?: DecodeOptions<Frame>,
	): Generator<
		| FrameEnvelopeBodyFieldEvent
		| FrameEnvelopeSignatureFieldEvent
		| FrameAckBodyFieldEvent
		| FrameAckSignatureFieldEvent
		| FrameSessionResetBodyFieldEvent
		| FrameSessionResetSignatureFieldEvent
	>;
}
export interface Text {
	markdown: string;
}
export declare namespace Text {
	const codec: () => Codec<Text>;
	interface TextMarkdownFieldEvent {
		field: "$.markdown";
		value: string;
	}
	function encode(obj: Partial<Text>): Uint8Array<ArrayBuffer>;
	function decode(
		buf: Uint8Array | Uint8ArrayList,
		opts?: DecodeOptions<Text>,
	): Text;
	function stream(
		buf: Uint8Array | Uint8ArrayList,
		opts?: DecodeOptions<Text>,
	): Generator<TextMarkdownFieldEvent>;
}
export interface Snippet {
	language: string;
	path: string;
	startLine: number;
	endLine: number;
	text: string;
}
export declare namespace Snippet {
	const codec: () => Codec<Snippet>;
	interface SnippetLanguageFieldEvent {
		field: "$.language";
		value: string;
	}
	interface SnippetPathFieldEvent {
		field: "$.path";
		value: string;
	}
	interface SnippetStartLineFieldEvent {
		field: "$.startLine";
		value: number;
	}
	interface SnippetEndLineFieldEvent {
		field: "$.endLine";
		value: number;
	}
	interface SnippetTextFieldEvent {
		field: "$.text";
		value: string;
	}
	function encode(obj: Partial<Snippet>): Uint8Array<ArrayBuffer>;
	function decode(
		buf: Uint8Array | Uint8ArrayList,
		opts?: DecodeOptions<Snippet>,
	): Snippet;
	function stream(
		buf: Uint8Array | Uint8ArrayList,
		opts?: DecodeOptions<Snippet>,
	): Generator<
		| SnippetLanguageFieldEvent
		| SnippetPathFieldEvent
		| SnippetStartLineFieldEvent
		| SnippetEndLineFieldEvent
		| SnippetTextFieldEvent
	>;
}
export interface ReadReceipt {
	messageIds: Uint8Array<ArrayBuffer>[];
}
export declare namespace ReadReceipt {
	const codec: () => Codec<ReadReceipt>;
	interface ReadReceiptMessageIdsFieldEvent {
		field: "$.messageIds[]";
		index: number;
		value: Uint8Array<ArrayBuffer>;
	}
	function encode(obj: Partial<ReadReceipt>): Uint8Array<ArrayBuffer>;
	function decode(
		buf: Uint8Array | Uint8ArrayList,
		opts?: DecodeOptions<ReadReceipt>,
	): ReadReceipt;
	function stream(
		buf: Uint8Array | Uint8ArrayList,
		opts?: DecodeOptions<ReadReceipt>,
	): Generator<ReadReceiptMessageIdsFieldEvent>;
}
export interface QueueAddressRecord {
	community: Uint8Array<ArrayBuffer>;
	addresses: Uint8Array<ArrayBuffer>[];
	queueId: Uint8Array<ArrayBuffer>;
	credential: Uint8Array<ArrayBuffer>;
}
export declare namespace QueueAddressRecord {
	const codec: () => Codec<QueueAddressRecord>;
	interface QueueAddressRecordCommunityFieldEvent {
		field: "$.community";
		value: Uint8Array<ArrayBuffer>;
	}
	interface QueueAddressRecordAddressesFieldEvent {
		field: "$.addresses[]";
		index: number;
		value: Uint8Array<ArrayBuffer>;
	}
	interface QueueAddressRecordQueueIdFieldEvent {
		field: "$.queueId";
		value: Uint8Array<ArrayBuffer>;
	}
	interface QueueAddressRecordCredentialFieldEvent {
		field: "$.credential";
		value: Uint8Array<ArrayBuffer>;
	}
	function encode(obj: Partial<QueueAddressRecord>): Uint8Array<ArrayBuffer>;
	function decode(
		buf: Uint8Array | Uint8ArrayList,
		opts?: DecodeOptions<QueueAddressRecord>,
	): QueueAddressRecord;
	function stream(
		buf: Uint8Array | Uint8ArrayList,
		opts?: DecodeOptions<QueueAddressRecord>,
	): Generator<
		| QueueAddressRecordCommunityFieldEvent
		| QueueAddressRecordAddressesFieldEvent
		| QueueAddressRecordQueueIdFieldEvent
		| QueueAddressRecordCredentialFieldEvent
	>;
}
export interface MailboxQueues {
	queues: QueueAddressRecord[];
}
export declare namespace MailboxQueues {
	const codec: () => Codec<MailboxQueues>;
	interface MailboxQueuesQueuesCommunityFieldEvent {
		field: "$.queues[].community";
		value: Uint8Array<ArrayBuffer>;
		index: number;
	}
	interface MailboxQueuesQueuesAddressesFieldEvent {
		field: "$.queues[].addresses[]";
		index: number;
		value: Uint8Array<ArrayBuffer>;
	}
	interface MailboxQueuesQueuesQueueIdFieldEvent {
		field: "$.queues[].queueId";
		value: Uint8Array<ArrayBuffer>;
		index: number;
	}
	interface MailboxQueuesQueuesCredentialFieldEvent {
		field: "$.queues[].credential";
		value: Uint8Array<ArrayBuffer>;
		index: number;
	}
	function encode(obj: Partial<MailboxQueues>): Uint8Array<ArrayBuffer>;
	function decode(
		buf: Uint8Array | Uint8ArrayList,
		opts?: DecodeOptions<MailboxQueues>,
	): MailboxQueues;
	function stream(
		buf: Uint8Array | Uint8ArrayList,
		opts?: DecodeOptions<MailboxQueues>,
	): Generator<
		| MailboxQueuesQueuesCommunityFieldEvent
		| MailboxQueuesQueuesAddressesFieldEvent
		| MailboxQueuesQueuesQueueIdFieldEvent
		| MailboxQueuesQueuesCredentialFieldEvent
	>;
}
export interface Payload {
	text?: Text;
	snippet?: Snippet;
	readReceipt?: ReadReceipt;
	mailboxQueues?: MailboxQueues;
	group?: Uint8Array<ArrayBuffer>;
	inviteSecret?: Uint8Array<ArrayBuffer>;
	senderName?: string;
}
export declare namespace Payload {
	const codec: () => Codec<Payload>;
	interface PayloadTextMarkdownFieldEvent {
		field: "$.text.markdown";
		value: string;
	}
	interface PayloadSnippetLanguageFieldEvent {
		field: "$.snippet.language";
		value: string;
	}
	interface PayloadSnippetPathFieldEvent {
		field: "$.snippet.path";
		value: string;
	}
	interface PayloadSnippetStartLineFieldEvent {
		field: "$.snippet.startLine";
		value: number;
	}
	interface PayloadSnippetEndLineFieldEvent {
		field: "$.snippet.endLine";
		value: number;
	}
	interface PayloadSnippetTextFieldEvent {
		field: "$.snippet.text";
		value: string;
	}
	interface PayloadReadReceiptMessageIdsFieldEvent {
		field: "$.readReceipt.messageIds[]";
		index: number;
		value: Uint8Array<ArrayBuffer>;
	}
	interface PayloadMailboxQueuesQueuesCommunityFieldEvent {
		field: "$.mailboxQueues.queues[].community";
		value: Uint8Array<ArrayBuffer>;
		index: number;
	}
	interface PayloadMailboxQueuesQueuesAddressesFieldEvent {
		field: "$.mailboxQueues.queues[].addresses[]";
		index: number;
		value: Uint8Array<ArrayBuffer>;
	}
	interface PayloadMailboxQueuesQueuesQueueIdFieldEvent {
		field: "$.mailboxQueues.queues[].queueId";
		value: Uint8Array<ArrayBuffer>;
		index: number;
	}
	interface PayloadMailboxQueuesQueuesCredentialFieldEvent {
		field: "$.mailboxQueues.queues[].credential";
		value: Uint8Array<ArrayBuffer>;
		index: number;
	}
	interface PayloadGroupFieldEvent {
		field: "$.group";
		value: Uint8Array<ArrayBuffer>;
	}
	interface PayloadInviteSecretFieldEvent {
		field: "$.inviteSecret";
		value: Uint8Array<ArrayBuffer>;
	}
	interface PayloadSenderNameFieldEvent {
		field: "$.senderName";
		value: string;
	}
	function encode(obj: Partial<Payload>): Uint8Array<ArrayBuffer>;
	function decode(
		buf: Uint8Array | Uint8ArrayList,
		opts?: DecodeOptions<Payload>,
	): Payload;
	function stream(
		buf: Uint8Array | Uint8ArrayList,
		opts?: DecodeOptions<Payload>,
	): Generator<
		| PayloadTextMarkdownFieldEvent
		| PayloadSnippetLanguageFieldEvent
		| PayloadSnippetPathFieldEvent
		| PayloadSnippetStartLineFieldEvent
		| PayloadSnippetEndLineFieldEvent
		| PayloadSnippetTextFieldEvent
		| PayloadReadReceiptMessageIdsFieldEvent
		| PayloadMailboxQueuesQueuesCommunityFieldEvent
		| PayloadMailboxQueuesQueuesAddressesFieldEvent
		| PayloadMailboxQueuesQueuesQueueIdFieldEvent
		| PayloadMailboxQueuesQueuesCredentialFieldEvent
		| PayloadGroupFieldEvent
		| PayloadInviteSecretFieldEvent
		| PayloadSenderNameFieldEvent
	>;
}
