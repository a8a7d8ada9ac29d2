/**
 * The user's tag colour choices as React state, shared through {@link TagColoursContext} so every
 * chip repaints when one changes; persisted in localStorage (see `tags.ts`).
 */
import { createContext, createElement, useCallback, useContext, useState, type ReactNode } from 'react';
import { readTagColours, saveTagColour, tagColour, type TagColour, type TagColourOverrides } from './tags.js';

export interface TagColours {
  overrides: TagColourOverrides;
  /** Sets tag `name` to `hue` degrees; `null` returns it to its default. */
  setColour(name: string, hue: number | null): void;
}

export const TagColoursContext = createContext<TagColours>({ overrides: {}, setColour: () => undefined });

/** State for the provider at the top of the app. */
export function useTagColourState(): TagColours {
  const [overrides, setOverrides] = useState<TagColourOverrides>(() => readTagColours());
  const setColour = useCallback((name: string, hue: number | null) => setOverrides((old) => saveTagColour(old, name, hue)), []);
  return { overrides, setColour };
}

/** Chip colours of tag `name`, following the user's choices. */
export function useTagColour(name: string): TagColour {
  return tagColour(name, useContext(TagColoursContext).overrides);
}

/** Provides the user's tag colours to every chip below it. */
export function TagColoursProvider({ children }: { children: ReactNode }) {
  return createElement(TagColoursContext, { value: useTagColourState() }, children);
}
