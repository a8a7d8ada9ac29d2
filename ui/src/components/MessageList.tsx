import type { MessageSummary } from '../../../server/contract.js';
import { MessageRow } from './MessageRow.js';

interface MessageListProps {
  messages: readonly MessageSummary[];
  selectedId: string | null;
  onOpen(id: string): void;
}

/** The inbox, newest first. `onOpen` should be stable so unchanged rows skip rendering. */
export function MessageList({ messages, selectedId, onOpen }: MessageListProps) {
  return (
    <ul className="message-list" data-testid="message-list" aria-label="Messages">
      {messages.map((message) => (
        <MessageRow key={message.id} message={message} selected={message.id === selectedId} onOpen={onOpen} />
      ))}
    </ul>
  );
}
