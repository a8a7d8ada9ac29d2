import { useMemo } from 'react';
import { buildSrcDoc } from '../html-srcdoc.js';
import { useAlwaysLoadRemote } from '../use-remote-content.js';
import { HtmlFrame } from './HtmlFrame.js';
import { Icon, type IconName } from './Icon.js';
import { RemoteContentBar } from './RemoteContentBar.js';

export type PreviewWidth = 'phone' | 'tablet' | 'desktop';

const WIDTHS: readonly { id: PreviewWidth; label: string; px: number | null; icon: IconName }[] = [
  { id: 'phone', label: 'Phone', px: 375, icon: 'phone' },
  { id: 'tablet', label: 'Tablet', px: 768, icon: 'tablet' },
  { id: 'desktop', label: 'Desktop', px: null, icon: 'desktop' },
];

interface HtmlPreviewProps {
  /** The HTML body with `cid:` references rewritten to attachment URLs (from the message detail). */
  html: string;
  width: PreviewWidth;
  onWidth(width: PreviewWidth): void;
  /** Whether remote content was loaded for this message ("Load remote content"). */
  remoteLoaded: boolean;
  onLoadRemote(): void;
}

/**
 * The HTML tab: the rendered body at a chosen viewport width (phone 375 px, tablet 768 px, or the
 * pane's width), remote content blocked unless loaded for this message or always.
 */
export function HtmlPreview({ html, width, onWidth, remoteLoaded, onLoadRemote }: HtmlPreviewProps) {
  const current = WIDTHS.find((option) => option.id === width) ?? WIDTHS[2]!;
  const [always, setAlways] = useAlwaysLoadRemote();
  const remote = remoteLoaded || always;
  const { srcDoc, remoteCount } = useMemo(() => buildSrcDoc(html, window.location.href, remote), [html, remote]);
  return (
    <div className="html-preview">
      {remoteCount > 0 && <RemoteContentBar count={remoteCount} loaded={remote} always={always} onLoad={onLoadRemote} onAlways={setAlways} />}
      <div className="preview-widths" role="group" aria-label="Preview width">
        {WIDTHS.map((option) => (
          <button
            key={option.id}
            type="button"
            className="segment"
            aria-pressed={option.id === width}
            data-testid={`preview-width-${option.id}`}
            onClick={() => onWidth(option.id)}
          >
            <Icon name={option.icon} />
            {option.label}
            {option.px !== null && <span className="segment-note">{option.px} px</span>}
          </button>
        ))}
      </div>
      <div className="frame-stage">
        <HtmlFrame key={remote ? 'remote' : 'blocked'} srcDoc={srcDoc} widthPx={current.px} remote={remote} />
      </div>
    </div>
  );
}
