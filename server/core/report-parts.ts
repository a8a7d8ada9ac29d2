/**
 * The parts of a report (`multipart/report`, RFC 6522: bounces RFC 3464, read receipts RFC 8098,
 * abuse reports RFC 5965) are parts to download, never body text. mailparser already lists
 * `message/delivery-status` (with `keepDeliveryStatus`), `text/rfc822-headers` and a returned
 * `message/rfc822` without disposition; a returned message marked `Content-Disposition: inline`
 * (as abuse reports send it) would be parsed in place and glued into the text. This keeps it a
 * part, through mailsplit's `ignoreEmbedded` option, answered per MIME node.
 */

/** A mailsplit MIME node, as far as read here. */
interface SplitterNode {
  parentNode?: { contentType?: string } | false;
}

/**
 * Makes `options.ignoreEmbedded` (the options object mailparser shares with its mailsplit splitter) true exactly while the splitter decides about a part of a
 * `multipart/report`. Call before constructing the parser; `currentNode` gives the node being
 * decided (mailsplit's `splitter.node`), or `undefined` before the parser exists.
 */
export function keepReportPartsWhole(options: object, currentNode: () => SplitterNode | undefined): void {
  Object.defineProperty(options, 'ignoreEmbedded', {
    enumerable: true,
    get: () => {
      const parent = currentNode()?.parentNode;
      return Boolean(parent && parent.contentType === 'multipart/report');
    },
  });
}
