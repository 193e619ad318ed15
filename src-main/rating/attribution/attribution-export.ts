import type { DownloadTicket } from '../../../src-shared/api/downloads';
import type { CallContext } from '../../api/dispatcher';
import { CSV_TYPE, XLSX_TYPE } from '../../exports/downloads';
import { writeTableExport, type ExportColumn } from '../../exports/table-export';
import { formatWallClock } from '../../exports/wall-clock';
import type { Services } from '../../services';
import { EXPORT_HEADINGS } from './attribution-columns';
import type { AttributionDbRow, AttributionFilter } from './attribution-store';

const columns: ExportColumn<AttributionDbRow>[] = [
  { header: EXPORT_HEADINGS.countryCode, width: 12, value: (r) => r.country_code },
  { header: EXPORT_HEADINGS.prefix, width: 14, value: (r) => r.prefix },
  { header: EXPORT_HEADINGS.region, width: 24, value: (r) => r.region },
  { header: EXPORT_HEADINGS.regionEn, width: 28, value: (r) => r.region_en },
  { header: EXPORT_HEADINGS.areaCode, width: 10, value: (r) => r.area_code },
  { header: EXPORT_HEADINGS.carrier, width: 14, value: (r) => r.carrier },
  { header: EXPORT_HEADINGS.carrierEn, width: 18, value: (r) => r.carrier_en },
  { header: EXPORT_HEADINGS.kind, width: 8, value: (r) => r.kind },
];

function filterText(f: AttributionFilter): string {
  const parts = [
    f.countryCode ? `country ${f.countryCode}` : '',
    f.prefix ? `prefix starts with ${f.prefix}` : '',
    f.region ? `region contains "${f.region}"` : '',
    f.areaCode ? `area code ${f.areaCode}` : '',
    f.carrier ? `carrier contains "${f.carrier}"` : '',
    f.kind ? `kind ${f.kind}` : '',
  ].filter(Boolean);
  return parts.length ? parts.join('; ') : 'none';
}

/**
 * The rows of the filter as .xlsx or .csv through the shared export writer (header block, then the headings that
 * attribution.import recognizes, then the rows), offered as a one-time download.
 */
export async function exportAttribution(
  s: Services,
  ctx: CallContext,
  q: AttributionFilter & { format: 'xlsx' | 'csv'; timeZone: string },
): Promise<DownloadTicket> {
  const { format, timeZone, ...filter } = q;
  const versions = s.rating.attributionStore.versions(1);
  const file = s.downloads.newFile(format);
  const result = await writeTableExport(
    {
      format,
      file,
      sheetName: 'Number attribution',
      title: 'Number attribution',
      headerBlock: [
        ['Filters', filterText(filter)],
        ['Data version', versions[0] ? `${versions[0].id} (${versions[0].source}, ${versions[0].at})` : 'none'],
        ['Exported by', ctx.user?.username ?? '(unknown)'],
        ['Exported at', `${formatWallClock(s.now(), timeZone)} (${timeZone})`],
      ],
      columns,
      timeZone,
    },
    s.rating.attributionStore.batches(filter),
  );
  const stamp = formatWallClock(s.now(), timeZone).replace(/[-:]/g, '').replace(' ', '-');
  return s.downloads.offer({
    file,
    fileName: `attribution-${stamp}.${format}`,
    contentType: format === 'xlsx' ? XLSX_TYPE : CSV_TYPE,
    owner: ctx,
    rows: result.rows,
  });
}
