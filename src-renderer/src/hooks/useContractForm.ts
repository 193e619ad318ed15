import { useForm } from '@mantine/form';
import { useCallback, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { problemFromIssue } from '../../../src-shared/api/messages';
import { translateProblem } from '../api/problems';
import { withLength } from '../components/LengthCount';
import { apiErrorsOnFields, contractProblems, fieldsByPrefix, maxLengthOf, type ContractIssue, type FieldOf, type WireProblem } from './contractForm';

/**
 * The sentences of the contract's problems in the clerk's language: a zod issue of a form's check, and a Problem of
 * the engine's field errors. For forms that keep their own state (useContractForm uses it too).
 */
export function useContractMessages() {
  const { t } = useTranslation();
  // The same keys and params the engine sends (problemFromIssue), so a form's check reads as the engine's refusal.
  const issue = useCallback((issue: ContractIssue) => translateProblem(problemFromIssue(issue), t), [t]);
  const problem = useCallback((problem: WireProblem) => translateProblem(problem, t), [t]);
  return { issue, problem };
}

/** Where a form keeps the problems no field shows; `form.problem` reads it for the form's alert. */
const FORM_PROBLEM = '_form';

export interface ContractFormOptions<V extends Record<string, unknown>, S extends z.ZodType> {
  initialValues: V;
  /** The contract's input schema of the method the form sends to: the engine checks the same one. */
  schema: S;
  /**
   * The method input the form sends, made from its values: numbers from select ids, null for an empty optional
   * field. Leave trimming and limits to the schema; this is only the change of shape.
   */
  toInput(values: V): z.input<S>;
  /** Which field shows an input path's problem; by default the longest leading part of the path that is a field. */
  fieldOf?: FieldOf;
  /** The input path of a field, for its limit; by default its name split at dots ("sftp.host"). */
  pathOf?(field: string): string[];
  /**
   * Checks the contract cannot make (two passwords alike), or says better (a number typed as text): a message per
   * field, undefined when fine; it replaces the contract's message of the field.
   */
  extraChecks?(values: V): Record<string, string | undefined>;
}

/**
 * A Mantine form validated by a contract schema, before sending, with the engine's limits and messages:
 *
 *   const form = useContractForm({ initialValues, schema: enterpriseCreateInput, toInput });
 *   <TextInput label={t('accounts:fields.name')} {...form.text('name')} />   // with "12 / 100" as the clerk types
 *   if (!form.check()) return;
 *   try { await call('enterprises.create', form.input()) } catch (err) { if (!form.applyApiError(err)) setFailure(err) }
 *
 * A field's error clears as soon as it is edited; the engine's field errors land on the same fields.
 */
export function useContractForm<V extends Record<string, unknown>, S extends z.ZodType>(options: ContractFormOptions<V, S>) {
  const { issue: issueText, problem: problemText } = useContractMessages();
  // The schema and mapping may change with the form's mode (create or edit); read the latest at each check.
  const latest = useRef(options);
  latest.current = options;
  const form = useForm<V>({ mode: 'controlled', initialValues: options.initialValues, clearInputErrorOnChange: true });

  const fieldOf = (values: V): FieldOf => latest.current.fieldOf ?? fieldsByPrefix(Object.keys(values));

  /** Validates the values as the engine would; true when they may be sent. */
  const check = (): boolean => {
    const { schema, toInput, extraChecks } = latest.current;
    const values = form.getValues();
    const problems = contractProblems(schema, toInput(values), fieldOf(values), issueText);
    const errors: Record<string, string> = { ...problems.fields };
    // The form's own checks say more than the contract's generic one about the same field ("whole number").
    for (const [field, message] of Object.entries(extraChecks?.(values) ?? {})) if (message) errors[field] = message;
    if (problems.other.length) errors[FORM_PROBLEM] = problems.other.join('; ');
    form.setErrors(errors);
    return Object.keys(errors).length === 0;
  };

  /** Puts the engine's field errors on the matching fields; true if at least one matched. */
  const applyApiError = (error: unknown): boolean => {
    const errors = apiErrorsOnFields(error, fieldOf(form.getValues()), problemText);
    if (!Object.keys(errors).length) return false;
    form.setErrors(errors);
    return true;
  };

  /** The longest text a field takes, read from the schema at the field's input path (null: no limit). */
  const limitOf = (field: string): number | null => {
    const at = schemaAt(latest.current.schema, latest.current.pathOf?.(field) ?? field.split('.'));
    return at ? maxLengthOf(at) : null;
  };

  /**
   * Props for TextInput / Textarea / PasswordInput: value, onChange, error, and the length as the clerk types
   * (`count: false` for secrets, whose length is nobody's business).
   */
  const text = (field: string, extra: { description?: ReactNode; count?: boolean } = {}) => {
    const props = form.getInputProps(field);
    const max = extra.count === false ? null : limitOf(field);
    const length = typeof props.value === 'string' ? props.value.length : 0;
    // Without a limit the description is left to the input's own prop (spread after it, it must not blank it).
    if (max === null) return extra.description === undefined ? props : { ...props, description: extra.description };
    return { ...props, description: withLength(extra.description, length, max) };
  };

  return {
    ...form,
    check,
    applyApiError,
    limitOf,
    text,
    /** A field's error as text, for inputs whose `error` prop takes a string. */
    errorOf: (field: string): string | undefined => {
      const error = form.errors[field];
      return typeof error === 'string' && error ? error : undefined;
    },
    /** Props for Checkbox / Switch. */
    checkbox: (field: string) => form.getInputProps(field, { type: 'checkbox' }),
    /** The method input of the current values. */
    input: (): z.input<S> => latest.current.toInput(form.getValues()),
    /** Loads values (a record to edit, or a new one) and forgets errors. */
    load: (values: V) => {
      form.setInitialValues(values);
      form.setValues(values);
      form.clearErrors();
    },
    /** Problems of the last check that no field shows, for the form's alert. */
    problem: (form.errors[FORM_PROBLEM] as string | undefined) ?? null,
  };
}

export type ContractForm<V extends Record<string, unknown>, S extends z.ZodType> = ReturnType<typeof useContractForm<V, S>>;

type Def = { innerType?: z.ZodType; in?: z.ZodType; shape?: Record<string, z.ZodType>; element?: z.ZodType };

/** The part of a schema at an input path ("sftp.host", "intervals.0.price"), through wrappers; null if none. */
function schemaAt(schema: z.ZodType, path: string[]): z.ZodType | null {
  let current: z.ZodType | undefined = schema;
  let rest = path;
  for (let depth = 0; current && depth < 40; depth++) {
    const def: Def = (current as unknown as { _zod: { def: Def } })._zod.def;
    if (!rest.length) return current;
    if (def.shape && rest[0]! in def.shape) {
      current = def.shape[rest[0]!];
      rest = rest.slice(1);
    } else if (def.element && /^\d+$/.test(rest[0]!)) {
      current = def.element;
      rest = rest.slice(1);
    } else current = def.innerType ?? def.in;
  }
  return null;
}
