/**
 * SMTP client helpers. Messages go through nodemailer (a client we did not write). For framing
 * cases where the exact bytes on the wire matter (dot-stuffing, bare LF, CR CR LF), `smtpDialogue`
 * writes the given lines and records every reply.
 */
import net from 'node:net';
import nodemailer from 'nodemailer';
import type { Sink } from '../../server/sink.js';
import { isContinuation, replyLineSplitter } from './reply-lines.js';

/** A nodemailer transport to the sink (no TLS, no pooling: one connection per message, like most apps). */
export function transport(sink: Sink, options: Record<string, unknown> = {}) {
  return nodemailer.createTransport({ host: '127.0.0.1', port: sink.smtpPort, secure: false, ignoreTLS: true, ...options });
}

/**
 * Sends exact message bytes with an explicit envelope through nodemailer (`raw`), so the stored raw
 * source can be compared byte for byte. `raw` must use CRLF line endings.
 */
export async function sendRaw(sink: Sink, envelope: { from: string; to: string[] }, raw: Buffer) {
  const t = transport(sink);
  try {
    return await t.sendMail({ envelope, raw });
  } finally {
    t.close();
  }
}

/** One step of a dialogue: bytes to write, then how many reply lines (final lines, not continuations) to wait for. */
export interface DialogueStep {
  send: string | Buffer;
  replies?: number;
}

/**
 * Runs a scripted SMTP dialogue over a raw socket and returns every final reply line in order,
 * starting with the greeting. Resolves when all expected replies arrived or the server closed.
 */
export function smtpDialogue(port: number, steps: DialogueStep[], timeoutMs = 10_000): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const replies: string[] = [];
    let step = -1;
    let awaiting = 1; // the greeting
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`dialogue timed out after ${timeoutMs} ms; replies so far: ${JSON.stringify(replies)}`));
    }, timeoutMs);
    const advance = () => {
      while (awaiting === 0) {
        step += 1;
        const next = steps[step];
        if (!next) {
          clearTimeout(timer);
          socket.end();
          resolve(replies);
          return;
        }
        awaiting = next.replies ?? 1;
        socket.write(next.send);
      }
    };
    const split = replyLineSplitter((line) => {
      if (isContinuation(line)) return;
      replies.push(line);
      awaiting -= 1;
    });
    socket.on('data', (chunk: Buffer) => {
      split(chunk);
      advance();
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(replies);
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
