/** Sandbox flags of the message frame: no `allow-scripts`, no `allow-same-origin`; links may open a new, unsandboxed tab. */
export const HTML_FRAME_SANDBOX = 'allow-popups allow-popups-to-escape-sandbox';

/**
 * The HTML body in a sandboxed `srcdoc` iframe; `srcDoc` comes from `buildSrcDoc` (`html-srcdoc.ts`),
 * which sets the CSP and link handling inside the frame. `widthPx` is the simulated viewport width
 * (`null` = the pane's width).
 */
export function HtmlFrame({ srcDoc, widthPx, remote }: { srcDoc: string; widthPx: number | null; remote: boolean }) {
  return (
    <iframe
      className="html-frame"
      data-testid="html-frame"
      data-width={widthPx ?? 'full'}
      data-remote={remote ? 'loaded' : 'blocked'}
      title="HTML body of the message"
      sandbox={HTML_FRAME_SANDBOX}
      referrerPolicy="no-referrer"
      style={widthPx === null ? undefined : { width: `${widthPx}px` }}
      srcDoc={srcDoc}
    />
  );
}
