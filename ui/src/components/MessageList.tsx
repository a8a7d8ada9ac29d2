import { useEffect, useImperativeHandle, useLayoutEffect, useRef, useState, type ReactNode, type Ref, type RefObject } from 'react';
import { indexOfId, rowAt, type ListModel } from '../list-model.js';
import { MessageRow, PlaceholderRow, ROW_HEIGHT, rowDomId } from './MessageRow.js';
import type { RowSelect } from './RowSelect.js';

/** Rows rendered above and below the visible ones. */
const OVERSCAN = 8;

export interface MessageListHandle {
  /** Scrolls just enough to show row `index`. */
  scrollToIndex(index: number): void;
  focus(): void;
}

interface MessageListProps {
  model: ListModel;
  /** Changing it (e.g. the search) scrolls back to the top. */
  resetKey: string;
  selectedId: string | null;
  activeIndex: number;
  onOpen(id: string, index: number): void;
  /** The rendered index range `[start, end)`, so its pages get loaded. */
  onViewport(start: number, end: number): void;
  /** Bulk selection: which rows are ticked, and how rows get ticked (no checkboxes without it). */
  isChecked?(id: string): boolean;
  onSelect?: RowSelect;
  /** Something is selected: checkboxes show on every row. */
  selecting?: boolean;
  onFilterTag?(name: string): void;
  ref?: Ref<MessageListHandle>;
}

/** Scroll position and height of the scroller, updated at most once per frame. */
function useScrollWindow(scroller: RefObject<HTMLDivElement | null>) {
  const [view, setView] = useState({ top: 0, height: 600 });
  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    let frame = 0;
    const measure = () => {
      frame = 0;
      setView((old) => (old.top === element.scrollTop && old.height === element.clientHeight ? old : { top: element.scrollTop, height: element.clientHeight }));
    };
    const onChange = () => {
      if (frame === 0) frame = requestAnimationFrame(measure);
    };
    const resize = new ResizeObserver(onChange);
    resize.observe(element);
    element.addEventListener('scroll', onChange, { passive: true });
    measure();
    return () => {
      cancelAnimationFrame(frame);
      resize.disconnect();
      element.removeEventListener('scroll', onChange);
    };
  }, [scroller]);
  return view;
}

/**
 * Keeps the rows in view still when rows are added or removed above them (new mail at the top):
 * the first loaded row on screen is the anchor. At the very top nothing is held, so new mail shows.
 */
function useScrollAnchor(scroller: RefObject<HTMLDivElement | null>, model: ListModel, top: number) {
  const anchor = useRef<{ id: string; index: number } | null>(null);
  useLayoutEffect(() => {
    // Uses the measured `top` rather than reading `scrollTop`, which would force a layout per frame.
    const previous = anchor.current;
    let scrollTop = top;
    if (previous && top > 0) {
      const now = indexOfId(model, previous.id);
      if (now >= 0 && now !== previous.index && scroller.current) {
        scrollTop = Math.max(0, top + (now - previous.index) * ROW_HEIGHT);
        scroller.current.scrollTop = scrollTop;
      }
    }
    anchor.current = null;
    const first = Math.floor(scrollTop / ROW_HEIGHT);
    for (let index = first; index < first + 20 && index < model.total; index += 1) {
      const row = rowAt(model, index);
      if (row) {
        anchor.current = { id: row.id, index };
        break;
      }
    }
  }, [scroller, model, top]);
}

/**
 * The inbox as a virtualised ARIA list box: only the rows on screen (plus {@link OVERSCAN}) are in
 * the DOM, whatever the number of messages. Focus stays on the list box; the highlighted row is its
 * `aria-activedescendant`.
 */
export function MessageList(props: MessageListProps) {
  const { model, resetKey, selectedId, activeIndex, onOpen, onViewport, isChecked, onSelect, selecting = false, onFilterTag, ref } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const { top, height } = useScrollWindow(scroller);
  useScrollAnchor(scroller, model, top);

  const start = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
  const end = Math.min(model.total, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
  useEffect(() => onViewport(start, Math.max(end, start + 1)), [start, end, onViewport]);

  useEffect(() => {
    if (scroller.current) scroller.current.scrollTop = 0;
  }, [resetKey]);

  useImperativeHandle(ref, () => ({
    scrollToIndex(index) {
      const element = scroller.current;
      if (!element) return;
      const rowTop = index * ROW_HEIGHT;
      if (rowTop < element.scrollTop) element.scrollTop = rowTop;
      else if (rowTop + ROW_HEIGHT > element.scrollTop + element.clientHeight) element.scrollTop = rowTop + ROW_HEIGHT - element.clientHeight;
    },
    focus: () => scroller.current?.focus(),
  }));

  const rows: ReactNode[] = [];
  for (let index = start; index < end; index += 1) {
    const message = rowAt(model, index);
    rows.push(
      message ? (
        <MessageRow
          key={message.id}
          message={message}
          index={index}
          setSize={model.total}
          selected={message.id === selectedId}
          active={index === activeIndex}
          onOpen={onOpen}
          checked={isChecked?.(message.id) ?? false}
          onSelect={onSelect}
          onFilterTag={onFilterTag}
        />
      ) : (
        <PlaceholderRow key={`placeholder-${index}`} index={index} setSize={model.total} />
      ),
    );
  }
  // Only a rendered row can be the active descendant.
  const active = activeIndex >= start && activeIndex < end ? rowAt(model, activeIndex) : undefined;

  return (
    <div
      ref={scroller}
      className={selecting ? 'list-scroller list-selecting' : 'list-scroller'}
      role="listbox"
      tabIndex={0}
      aria-label="Messages, newest first"
      aria-activedescendant={active ? rowDomId(active.id) : undefined}
      data-testid="message-list"
      data-total={model.total}
      data-keyboard-list=""
    >
      <div className="list-canvas" role="presentation" style={{ height: model.total * ROW_HEIGHT }}>
        {rows}
      </div>
    </div>
  );
}
