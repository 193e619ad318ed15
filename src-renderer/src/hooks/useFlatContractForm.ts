import type { ReactNode } from 'react';
import type { z } from 'zod';
import { fieldsByPrefix, type FieldOf } from './contractForm';
import { useContractForm } from './useContractForm';

/**
 * A contract form whose fields are named by their input paths ("sftp.host", "currency.code"), so the engine's field
 * errors land on them by name. A Mantine form reads dotted names as nested objects; this keeps them under keys with
 * "/" for "." and speaks dotted names to the form's inputs.
 */
type FlatValues = Record<string, string | boolean>;

const SEP = '/';
const encodeKey = (key: string) => key.replaceAll('.', SEP);
const decodeKey = (key: string) => key.replaceAll(SEP, '.');
const mapKeys = <T>(record: Record<string, T>, map: (key: string) => string): Record<string, T> =>
  Object.fromEntries(Object.entries(record).map(([key, value]) => [map(key), value]));

export interface FlatContractFormOptions<V extends FlatValues, S extends z.ZodType> {
  initialValues: V;
  schema: S;
  toInput(values: V): z.input<S>;
  /** Which field (dotted name) shows a path's problem; by default the longest leading part of it that is a field. */
  fieldOf?: FieldOf;
  extraChecks?(values: V): Record<string, string | undefined>;
}

export function useFlatContractForm<V extends FlatValues, S extends z.ZodType>(options: FlatContractFormOptions<V, S>) {
  const fieldOf = options.fieldOf ?? fieldsByPrefix(Object.keys(options.initialValues));
  const form = useContractForm({
    initialValues: mapKeys(options.initialValues, encodeKey),
    schema: options.schema,
    toInput: (v) => options.toInput(mapKeys(v, decodeKey) as V),
    fieldOf: (path) => {
      const key = fieldOf(path);
      return key === null ? null : encodeKey(key);
    },
    pathOf: (field) => field.split(SEP),
    extraChecks: options.extraChecks ? (v) => mapKeys(options.extraChecks!(mapKeys(v, decodeKey) as V), encodeKey) : undefined,
  });
  const values = mapKeys(form.values, decodeKey) as V;
  return {
    values,
    errors: mapKeys(form.errors, decodeKey) as Record<string, ReactNode>,
    errorOf: (name: string) => form.errorOf(encodeKey(name)),
    text: (name: string, extra?: { description?: ReactNode; count?: boolean }) => form.text(encodeKey(name), extra),
    select: (name: string) => form.getInputProps(encodeKey(name)),
    checkbox: (name: string) => form.checkbox(encodeKey(name)),
    setValue: (name: string, value: string | boolean) => form.setFieldValue(encodeKey(name), value),
    check: form.check,
    applyApiError: form.applyApiError,
    load: (next: V) => form.load(mapKeys(next, encodeKey)),
    input: () => options.toInput(values),
    problem: form.problem,
  };
}
