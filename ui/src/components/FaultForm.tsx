import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode, type RefObject } from 'react';
import type { FaultRule } from '../../../server/contract.js';
import { addFaultRule, ApiError, errorText } from '../api.js';
import { updateFaultRule } from '../api-faults.js';
import { EMPTY_FAULT_FORM, FAULT_STAGE_OPTIONS, REPLY_PRESETS, enhancedCodePlaceholder, formFieldOf, formFromRule, isEnabled, replyTextPlaceholder, ruleFromForm, withPreset, type FaultFormValues } from '../fault-form.js';

/** A labelled input of the form. */
function Field({ label, children, hint }: { label: string; children: ReactNode; hint?: string }) {
  return (
    <label className="form-field">
      <span className="form-label">{label}</span>
      {children}
      {hint && <span className="form-hint">{hint}</span>}
    </label>
  );
}

type Setter = <K extends keyof FaultFormValues>(key: K, value: FaultFormValues[K]) => void;
type Invalid = (key: keyof FaultFormValues) => { 'aria-invalid'?: true; 'aria-describedby'?: string };

/** The inputs of the form; `invalid(key)` marks the field a server error names. */
function FaultFields({ values, set, invalid, firstField }: { values: FaultFormValues; set: Setter; invalid: Invalid; firstField: RefObject<HTMLSelectElement | null> }) {
  const stage = FAULT_STAGE_OPTIONS.find((option) => option.stage === values.stage) ?? FAULT_STAGE_OPTIONS[0]!;
  const applyPreset = (code: string) => {
    const preset = REPLY_PRESETS.find((option) => String(option.code) === code);
    if (preset) {
      const next = withPreset(values, preset);
      set('code', next.code);
      set('enhancedCode', next.enhancedCode);
      set('text', next.text);
    }
  };
  return (
    <>
      <div className="form-grid">
        <Field label="Stage">
          <select ref={firstField} value={values.stage} onChange={(event) => set('stage', event.target.value as FaultFormValues['stage'])} data-testid="fault-stage" {...invalid('stage')}>
            {FAULT_STAGE_OPTIONS.map((option) => (
              <option key={option.stage} value={option.stage}>
                {option.label}
              </option>
            ))}
          </select>
        </Field>
        <Field label={`${stage.patternLabel} pattern`} hint="Glob or /regex/; empty matches all">
          <input value={values.pattern} placeholder="*@bounce.example" onChange={(event) => set('pattern', event.target.value)} data-testid="fault-pattern" {...invalid('pattern')} />
        </Field>
        <Field label="Common reply">
          <select value="" onChange={(event) => applyPreset(event.target.value)} disabled={values.disconnect} data-testid="fault-preset">
            <option value="">Choose…</option>
            {REPLY_PRESETS.map((preset) => (
              <option key={preset.code} value={preset.code}>
                {preset.code} {preset.enhancedCode} {preset.label}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Reply code">
          <input inputMode="numeric" value={values.code} placeholder="550" disabled={values.disconnect} onChange={(event) => set('code', event.target.value)} data-testid="fault-code" {...invalid('code')} />
        </Field>
        <Field label="Enhanced code">
          <input value={values.enhancedCode} placeholder={enhancedCodePlaceholder(values.code)} disabled={values.disconnect} onChange={(event) => set('enhancedCode', event.target.value)} data-testid="fault-enhanced-code" {...invalid('enhancedCode')} />
        </Field>
        <Field label="Reply text" hint="Empty: the standard text for the code">
          <input value={values.text} placeholder={replyTextPlaceholder(values.code)} disabled={values.disconnect} onChange={(event) => set('text', event.target.value)} data-testid="fault-text" {...invalid('text')} />
        </Field>
        <Field label="Times" hint="Empty: until removed">
          <input inputMode="numeric" value={values.times} placeholder="∞" onChange={(event) => set('times', event.target.value)} data-testid="fault-times" {...invalid('times')} />
        </Field>
        <Field label="Delay (ms)">
          <input inputMode="numeric" value={values.delayMs} placeholder="0" onChange={(event) => set('delayMs', event.target.value)} data-testid="fault-delay" {...invalid('delayMs')} />
        </Field>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={values.disconnect} onChange={(event) => set('disconnect', event.target.checked)} data-testid="fault-disconnect" {...invalid('disconnect')} />
        Drop the connection without a reply
      </label>
    </>
  );
}

/** Sends the form: `PUT /api/faults/:id` when editing (keeping `enabled` and what the form cannot show), else `POST /api/faults`. */
function save(values: FaultFormValues, editing: FaultRule | undefined): Promise<unknown> {
  if (!editing) return addFaultRule(ruleFromForm(values));
  return updateFaultRule(editing.id, { ...ruleFromForm(values, editing), enabled: isEnabled(editing) });
}

/** What the form edits: nothing (it adds a rule), or rule number `number` of the list. */
export interface FaultFormProps {
  editing?: { rule: FaultRule; number: number; onDone(): void };
}

/**
 * Adds one fault rule with `POST /api/faults`, or (given `editing`) edits one with
 * `PUT /api/faults/:id`; the change shows up through `faults.changed`. A 400 marks the field it names.
 */
export function FaultForm({ editing }: FaultFormProps) {
  const [values, setValues] = useState<FaultFormValues>(() => (editing ? formFromRule(editing.rule) : EMPTY_FAULT_FORM));
  const firstField = useRef<HTMLSelectElement>(null);
  useEffect(() => {
    if (editing) firstField.current?.focus();
    // Only when the edit form opens.
  }, []);
  const [error, setError] = useState<{ text: string; field: keyof FaultFormValues | null } | null>(null);
  const [busy, setBusy] = useState(false);
  const errorId = useId();

  const set: Setter = (key, value) => setValues((old) => ({ ...old, [key]: value }));
  const invalid: Invalid = (key) =>
    error?.field === key ? { 'aria-invalid': true as const, 'aria-describedby': errorId } : {};

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    save(values, editing?.rule).then(
      () => {
        setError(null);
        if (editing) editing.onDone();
        else setValues(EMPTY_FAULT_FORM); // added: start the next rule from the defaults
      },
      (failure: unknown) => setError({ text: errorText(failure), field: failure instanceof ApiError ? formFieldOf(failure.field) : null }),
    ).finally(() => setBusy(false));
  };

  return (
    <form className={editing ? 'fault-form editing' : 'fault-form'} onSubmit={submit} aria-label={editing ? `Edit rule ${editing.number}` : 'Add a fault rule'} data-testid={editing ? 'fault-edit-form' : 'fault-form'}>
      <h3 className="panel-subtitle">{editing ? `Edit rule ${editing.number}` : 'Add a rule'}</h3>
      <FaultFields values={values} set={set} invalid={invalid} firstField={firstField} />
      {error && (
        <p className="form-error" role="alert" id={errorId} data-testid="fault-error">
          {error.text}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy} data-testid={editing ? 'fault-save' : 'fault-add'}>
          {editing ? 'Save' : 'Add rule'}
        </button>
        {editing && (
          <button type="button" onClick={editing.onDone} data-testid="fault-edit-cancel">
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
