/** Result shape of the spam check (`GET /api/messages/:id/checks/spam`), from SpamAssassin's spamd. */

/** SpamAssassin's verdict on one message. */
export interface SpamCheck {
  /** host:port of the spamd asked. */
  spamd: string;
  score: number;
  threshold: number;
  isSpam: boolean;
  rules: { name: string; score: number; description: string }[];
}
