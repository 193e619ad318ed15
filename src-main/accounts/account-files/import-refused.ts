import { refusalMessage, type ProblemList } from '../../imports/spreadsheet-table';

/** Thrown by an account or extension import with every problem found; nothing was applied. */
export class AccountImportRefused extends Error {
  constructor(readonly problems: ProblemList) {
    super(refusalMessage(problems));
  }
}
