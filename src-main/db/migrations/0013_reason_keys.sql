-- Reasons in the clerk's language: a reject keeps the key of its reason in the `engine` i18n catalogue and the
-- reason's parameters (JSON) beside the English sentence, which stays as it was for support and for older readers.
-- Rows stored before this migration have no key: the UI shows a general sentence with the English as the detail.
ALTER TABLE cdr_rejects ADD COLUMN reason_key TEXT;
ALTER TABLE cdr_rejects ADD COLUMN reason_params TEXT;
