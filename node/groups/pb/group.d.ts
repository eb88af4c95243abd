import type { Codec, DecodeOptions } from 'protons-runtime';
import type { Uint8ArrayList } from 'uint8arraylist';
export interface GroupEventBody {
    groupId: Uint8Array<ArrayBuffer>;
    author: Uint8Array<ArrayBuffer>;
    parents: Uint8Array<ArrayBuffer>[];
    createdAt: number;
    create?: Create;
    add?: Uint8Array<ArrayBuffer>;
    remove?: Uint8Array<ArrayBuffer>;
    admin?: Uint8Array<ArrayBuffer>;
    rename?: string;
    leave?: boolean;
}
export declare namespace GroupEventBody {
    const codec: () => Codec<GroupEventBody>;
    interface GroupEventBodyGroupIdFieldEvent {
        field: '$.groupId';
        value: Uint8Array<ArrayBuffer>;
    }
    interface GroupEventBodyAuthorFieldEvent {
        field: '$.author';
        value: Uint8Array<ArrayBuffer>;
    }
    interface GroupEventBodyParentsFieldEvent {
        field: '$.parents[]';
        index: number;
        value: Uint8Array<ArrayBuffer>;
    }
    interface GroupEventBodyCreatedAtFieldEvent {
        field: '$.createdAt';
        value: number;
    }
    interface GroupEventBodyCreateTitleFieldEvent {
        field: '$.create.title';
        value: string;
    }
    interface GroupEventBodyCreateMembersFieldEvent {
        field: '$.create.members[]';
        index: number;
        value: Uint8Array<ArrayBuffer>;
    }
    interface GroupEventBodyCreateNonceFieldEvent {
        field: '$.create.nonce';
        value: Uint8Array<ArrayBuffer>;
    }
    interface GroupEventBodyAddFieldEvent {
        field: '$.add';
        value: Uint8Array<ArrayBuffer>;
    }
    interface GroupEventBodyRemoveFieldEvent {
        field: '$.remove';
        value: Uint8Array<ArrayBuffer>;
    }
    interface GroupEventBodyAdminFieldEvent {
        field: '$.admin';
        value: Uint8Array<ArrayBuffer>;
    }
    interface GroupEventBodyRenameFieldEvent {
        field: '$.rename';
        value: string;
    }
    interface GroupEventBodyLeaveFieldEvent {
        field: '$.leave';
        value: boolean;
    }
    function encode(obj: Partial<GroupEventBody>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupEventBody>): GroupEventBody;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupEventBody>): Generator<GroupEventBodyGroupIdFieldEvent | GroupEventBodyAuthorFieldEvent | GroupEventBodyParentsFieldEvent | GroupEventBodyCreatedAtFieldEvent | GroupEventBodyCreateTitleFieldEvent | GroupEventBodyCreateMembersFieldEvent | GroupEventBodyCreateNonceFieldEvent | GroupEventBodyAddFieldEvent | GroupEventBodyRemoveFieldEvent | GroupEventBodyAdminFieldEvent | GroupEventBodyRenameFieldEvent | GroupEventBodyLeaveFieldEvent>;
}
export interface Create {
    title: string;
    members: Uint8Array<ArrayBuffer>[];
    nonce: Uint8Array<ArrayBuffer>;
}
export declare namespace Create {
    const codec: () => Codec<Create>;
    interface CreateTitleFieldEvent {
        field: '$.title';
        value: string;
    }
    interface CreateMembersFieldEvent {
        field: '$.members[]';
        index: number;
        value: Uint8Array<ArrayBuffer>;
    }
    interface CreateNonceFieldEvent {
        field: '$.nonce';
        value: Uint8Array<ArrayBuffer>;
    }
    function encode(obj: Partial<Create>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Create>): Create;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Create>): Generator<CreateTitleFieldEvent | CreateMembersFieldEvent | CreateNonceFieldEvent>;
}
export interface GroupEvent {
    body: Uint8Array<ArrayBuffer>;
    signature: Uint8Array<ArrayBuffer>;
}
export declare namespace GroupEvent {
    const codec: () => Codec<GroupEvent>;
    interface GroupEventBodyFieldEvent {
        field: '$.body';
        value: Uint8Array<ArrayBuffer>;
    }
    interface GroupEventSignatureFieldEvent {
        field: '$.signature';
        value: Uint8Array<ArrayBuffer>;
    }
    function encode(obj: Partial<GroupEvent>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupEvent>): GroupEvent;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupEvent>): Generator<GroupEventBodyFieldEvent | GroupEventSignatureFieldEvent>;
}
export interface SenderKey {
    groupId: Uint8Array<ArrayBuffer>;
    signingKey: Uint8Array<ArrayBuffer>;
    iteration: number;
    chainKey: Uint8Array<ArrayBuffer>;
}
export declare namespace SenderKey {
    const codec: () => Codec<SenderKey>;
    interface SenderKeyGroupIdFieldEvent {
        field: '$.groupId';
        value: Uint8Array<ArrayBuffer>;
    }
    interface SenderKeySigningKeyFieldEvent {
        field: '$.signingKey';
        value: Uint8Array<ArrayBuffer>;
    }
    interface SenderKeyIterationFieldEvent {
        field: '$.iteration';
        value: number;
    }
    interface SenderKeyChainKeyFieldEvent {
        field: '$.chainKey';
        value: Uint8Array<ArrayBuffer>;
    }
    function encode(obj: Partial<SenderKey>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SenderKey>): SenderKey;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SenderKey>): Generator<SenderKeyGroupIdFieldEvent | SenderKeySigningKeyFieldEvent | SenderKeyIterationFieldEvent | SenderKeyChainKeyFieldEvent>;
}
export interface GroupMessageBody {
    groupId: Uint8Array<ArrayBuffer>;
    id: Uint8Array<ArrayBuffer>;
    sender: Uint8Array<ArrayBuffer>;
    signingKey: Uint8Array<ArrayBuffer>;
    iteration: number;
    seq: number;
    prevHash: Uint8Array<ArrayBuffer>;
    lamport: number;
    sentAt: number;
    ciphertext: Uint8Array<ArrayBuffer>;
}
export declare namespace GroupMessageBody {
    const codec: () => Codec<GroupMessageBody>;
    interface GroupMessageBodyGroupIdFieldEvent {
        field: '$.groupId';
        value: Uint8Array<ArrayBuffer>;
    }
    interface GroupMessageBodyIdFieldEvent {
        field: '$.id';
        value: Uint8Array<ArrayBuffer>;
    }
    interface GroupMessageBodySenderFieldEvent {
        field: '$.sender';
        value: Uint8Array<ArrayBuffer>;
    }
    interface GroupMessageBodySigningKeyFieldEvent {
        field: '$.signingKey';
        value: Uint8Array<ArrayBuffer>;
    }
    interface GroupMessageBodyIterationFieldEvent {
        field: '$.iteration';
        value: number;
    }
    interface GroupMessageBodySeqFieldEvent {
        field: '$.seq';
        value: number;
    }
    interface GroupMessageBodyPrevHashFieldEvent {
        field: '$.prevHash';
        value: Uint8Array<ArrayBuffer>;
    }
    interface GroupMessageBodyLamportFieldEvent {
        field: '$.lamport';
        value: number;
    }
    interface GroupMessageBodySentAtFieldEvent {
        field: '$.sentAt';
        value: number;
    }
    interface GroupMessageBodyCiphertextFieldEvent {
        field: '$.ciphertext';
        value: Uint8Array<ArrayBuffer>;
    }
    function encode(obj: Partial<GroupMessageBody>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupMessageBody>): GroupMessageBody;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupMessageBody>): Generator<GroupMessageBodyGroupIdFieldEvent | GroupMessageBodyIdFieldEvent | GroupMessageBodySenderFieldEvent | GroupMessageBodySigningKeyFieldEvent | GroupMessageBodyIterationFieldEvent | GroupMessageBodySeqFieldEvent | GroupMessageBodyPrevHashFieldEvent | GroupMessageBodyLamportFieldEvent | GroupMessageBodySentAtFieldEvent | GroupMessageBodyCiphertextFieldEvent>;
}
export interface GroupMessage {
    body: Uint8Array<ArrayBuffer>;
    signature: Uint8Array<ArrayBuffer>;
}
export declare namespace GroupMessage {
    const codec: () => Codec<GroupMessage>;
    interface GroupMessageBodyFieldEvent {
        field: '$.body';
        value: Uint8Array<ArrayBuffer>;
    }
    interface GroupMessageSignatureFieldEvent {
        field: '$.signature';
        value: Uint8Array<ArrayBuffer>;
    }
    function encode(obj: Partial<GroupMessage>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupMessage>): GroupMessage;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupMessage>): Generator<GroupMessageBodyFieldEvent | GroupMessageSignatureFieldEvent>;
}
export interface GroupContent {
    text?: string;
    snippet?: GroupSnippet;
    mentions: Uint8Array<ArrayBuffer>[];
}
export declare namespace GroupContent {
    const codec: () => Codec<GroupContent>;
    interface GroupContentTextFieldEvent {
        field: '$.text';
        value: string;
    }
    interface GroupContentSnippetLanguageFieldEvent {
        field: '$.snippet.language';
        value: string;
    }
    interface GroupContentSnippetPathFieldEvent {
        field: '$.snippet.path';
        value: string;
    }
    interface GroupContentSnippetStartLineFieldEvent {
        field: '$.snippet.startLine';
        value: number;
    }
    interface GroupContentSnippetEndLineFieldEvent {
        field: '$.snippet.endLine';
        value: number;
    }
    interface GroupContentSnippetTextFieldEvent {
        field: '$.snippet.text';
        value: string;
    }
    interface GroupContentMentionsFieldEvent {
        field: '$.mentions[]';
        index: number;
        value: Uint8Array<ArrayBuffer>;
    }
    function encode(obj: Partial<GroupContent>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupContent>): GroupContent;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupContent>): Generator<GroupContentTextFieldEvent | GroupContentSnippetLanguageFieldEvent | GroupContentSnippetPathFieldEvent | GroupContentSnippetStartLineFieldEvent | GroupContentSnippetEndLineFieldEvent | GroupContentSnippetTextFieldEvent | GroupContentMentionsFieldEvent>;
}
export interface GroupSnippet {
    language: string;
    path: string;
    startLine: number;
    endLine: number;
    text: string;
}
export declare namespace GroupSnippet {
    const codec: () => Codec<GroupSnippet>;
    interface GroupSnippetLanguageFieldEvent {
        field: '$.language';
        value: string;
    }
    interface GroupSnippetPathFieldEvent {
        field: '$.path';
        value: string;
    }
    interface GroupSnippetStartLineFieldEvent {
        field: '$.startLine';
        value: number;
    }
    interface GroupSnippetEndLineFieldEvent {
        field: '$.endLine';
        value: number;
    }
    interface GroupSnippetTextFieldEvent {
        field: '$.text';
        value: string;
    }
    function encode(obj: Partial<GroupSnippet>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupSnippet>): GroupSnippet;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupSnippet>): Generator<GroupSnippetLanguageFieldEvent | GroupSnippetPathFieldEvent | GroupSnippetStartLineFieldEvent | GroupSnippetEndLineFieldEvent | GroupSnippetTextFieldEvent>;
}
export interface GroupFrame {
    message?: GroupMessage;
    senderKey?: SenderKey;
    events?: GroupEvents;
}
export declare namespace GroupFrame {
    const codec: () => Codec<GroupFrame>;
    interface GroupFrameMessageBodyFieldEvent {
        field: '$.message.body';
        value: Uint8Array<ArrayBuffer>;
    }
    interface GroupFrameMessageSignatureFieldEvent {
        field: '$.message.signature';
        value: Uint8Array<ArrayBuffer>;
    }
    interface GroupFrameSenderKeyGroupIdFieldEvent {
        field: '$.senderKey.groupId';
        value: Uint8Array<ArrayBuffer>;
    }
    interface GroupFrameSenderKeySigningKeyFieldEvent {
        field: '$.senderKey.signingKey';
        value: Uint8Array<ArrayBuffer>;
    }
    interface GroupFrameSenderKeyIterationFieldEvent {
        field: '$.senderKey.iteration';
        value: number;
    }
    interface GroupFrameSenderKeyChainKeyFieldEvent {
        field: '$.senderKey.chainKey';
        value: Uint8Array<ArrayBuffer>;
    }
    interface GroupFrameEventsEventsBodyFieldEvent {
        field: '$.events.events[].body';
        value: Uint8Array<ArrayBuffer>;
        index: number;
    }
    interface GroupFrameEventsEventsSignatureFieldEvent {
        field: '$.events.events[].signature';
        value: Uint8Array<ArrayBuffer>;
        index: number;
    }
    function encode(obj: Partial<GroupFrame>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupFrame>): GroupFrame;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupFrame>): Generator<GroupFrameMessageBodyFieldEvent | GroupFrameMessageSignatureFieldEvent | GroupFrameSenderKeyGroupIdFieldEvent | GroupFrameSenderKeySigningKeyFieldEvent | GroupFrameSenderKeyIterationFieldEvent | GroupFrameSenderKeyChainKeyFieldEvent | GroupFrameEventsEventsBodyFieldEvent | GroupFrameEventsEventsSignatureFieldEvent>;
}
export interface GroupEvents {
    events: GroupEvent[];
}
export declare namespace GroupEvents {
    const codec: () => Codec<GroupEvents>;
    interface GroupEventsEventsBodyFieldEvent {
        field: '$.events[].body';
        value: Uint8Array<ArrayBuffer>;
        index: number;
    }
    interface GroupEventsEventsSignatureFieldEvent {
        field: '$.events[].signature';
        value: Uint8Array<ArrayBuffer>;
        index: number;
    }
    function encode(obj: Partial<GroupEvents>): Uint8Array<ArrayBuffer>;
    function decode(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupEvents>): GroupEvents;
    function stream(buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupEvents>): Generator<GroupEventsEventsBodyFieldEvent | GroupEventsEventsSignatureFieldEvent>;
}
