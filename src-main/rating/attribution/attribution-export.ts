import type { AttributionVersion } from '../../../src-shared/api/attribution';
import type { DownloadTicket } from '../../../src-shared/api/downloads';
import type { CallContext } from '../../api/call-context';
import { CSV_TYPE, XLSX_TYPE, writeTableExport, type ExportColumn } from '../../exports/table-export';
import { exportLabels, filtersText, valueMap, type ExportLanguage, type FileLabels } from '../../exports/labels';
import { formatWallClock } from '../../exports/wall-clock';
import type { DownloadOffers } from '../../downloads/registry';
import type { RatingService } from '../rating-service';
import type { AttributionDbRow, AttributionFilter } from './attribution-repository';

/** The columns in one language; the kind goes through a lookup map built once per export. */
function columnsIn(l: FileLabels): ExportColumn<AttributionDbRow>[] {
  const h = l.attribution.columns;
  const kindText = valueMap(l.attribution.kinds);
  return [
    { header: h.countryCode, width: 12, value: (r) => r.country_code },
    { header: h.prefix, width: 14, value: (r) => r.prefix },
    { header: h.region, width: 24, value: (r) => r.region },
    { header: h.regionEn, width: 28, value: (r) => r.region_en },
    { header: h.areaCode, width: 10, value: (r) => r.area_code },
    { header: h.carrier, width: 14, value: (r) => r.carrier },
    { header: h.carrierEn, width: 18, value: (r) => r.carrier_en },
    { header: h.kind, width: 10, value: (r) => kindText(r.kind) },
  ];
}

function filterText(l: FileLabels, f: AttributionFilter): string {
  const t = l.attribution.filters;
  return filtersText(l, [
    f.countryCode ? t.country(f.countryCode) : '',
    f.prefix ? t.prefix(f.prefix) : '',
    f.region ? t.region(f.region) : '',
    f.areaCode ? t.areaCode(f.areaCode) : '',
    f.carrier ? t.carrier(f.carrier) : '',
    f.kind ? t.kind(l.attribution.kinds[f.kind]) : '',
  ]);
}

/** "3 (import, 2026-03-02 09:15:02)": the version, where it came from and when, in the export's zone. */
function versionText(l: FileLabels, v: AttributionVersion, timeZone: string): string {
  return `${v.id} (${l.attribution.sources[v.source]}, ${formatWallClock(Date.parse(v.at), timeZone)})`;
}

/** What an attribution export uses. */
export interface AttributionExportDeps {
  rating: Pick<RatingService, 'attributionRepo'>;
  downloads: DownloadOffers;
  now(): number;
}

/**
 * The rows of the filter as .xlsx or .csv through the shared export writer (header block, then the headings that
 * attribution.import recognizes, then the rows), offered as a one-time download.
 */
export async function exportAttribution(
  s: AttributionExportDeps,
  ctx: CallContext,
  q: AttributionFilter & { format: 'xlsx' | 'csv'; timeZone: string; language?: ExportLanguage },
): Promise<DownloadTicket> {
  const { format, timeZone, language, ...filter } = q;
  const l = exportLabels(language);
  const versions = s.rating.attributionRepo.versions(1);
  const file = s.downloads.newFile(format);
  const result = await writeTableExport(
    {
      format,
      file,
      sheetName: l.attribution.sheet,
      title: l.attribution.title,
      headerBlock: [
        [l.block.filters, filterText(l, filter)],
        [l.block.dataVersion, versions[0] ? versionText(l, versions[0], timeZone) : l.block.none],
        [l.block.exportedBy, ctx.user?.username ?? l.block.unknownUser],
        [l.block.exportedAt, `${formatWallClock(s.now(), timeZone)} (${timeZone})`],
      ],
      columns: columnsIn(l),
      timeZone,
    },
    s.rating.attributionRepo.batches(filter),
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
