// `export dashboard`: Kibana saved objects as NDJSON (the format of Kibana's saved-objects import):
// one data view over the beat's indices and, per protocol, a dashboard of aggregation-based
// visualizations built from the protocol's field definitions: transactions over time by status,
// latency percentiles, the top values of its declared resource, of its error field (Error
// transactions) and of its other keyword fields. Objects declare the migration versions of
// Kibana 8.8, which Kibana 8.8 and later import (and migrate to their own version).
import type { DashboardSpec, FieldDefinition } from '@wirebeat/applayer';

/** Options of {@link kibanaSavedObjects}. */
export interface KibanaExportOptions {
  beatName: string;
  /** Index pattern of the beat's indices (the data view's title). */
  pattern: string;
  protocols: ReadonlyArray<{ name: string; fields: readonly FieldDefinition[]; dashboard?: DashboardSpec }>;
  /** Every field the index template maps (common, beat and protocol fields). */
  fields: readonly FieldDefinition[];
}

/** One saved object of an export. */
export interface SavedObject {
  id: string;
  type: 'index-pattern' | 'visualization' | 'dashboard';
  attributes: Record<string, unknown>;
  references: Array<{ id: string; name: string; type: string }>;
  coreMigrationVersion: string;
  typeMigrationVersion: string;
  managed: false;
}

/** Migration versions of Kibana 8.8's saved objects (as its own exports declare them). */
const CORE_VERSION = '8.8.0';
const TYPE_VERSION = { 'index-pattern': '7.11.0', visualization: '7.14.0', dashboard: '8.7.0' } as const;
/** Keyword fields of a protocol shown as extra "top values" panels, at most. */
const EXTRA_FIELDS = 4;
const AGGREGATABLE = new Set(['keyword', 'long', 'integer', 'double', 'boolean', 'ip']);
const INDEX_REF = 'kibanaSavedObjectMeta.searchSourceJSON.index';

function object(
  id: string,
  type: SavedObject['type'],
  attributes: Record<string, unknown>,
  references: SavedObject['references'],
): SavedObject {
  return {
    id,
    type,
    attributes,
    references,
    coreMigrationVersion: CORE_VERSION,
    typeMigrationVersion: TYPE_VERSION[type],
    managed: false,
  };
}

const count = { id: '1', enabled: true, type: 'count', schema: 'metric', params: {} };
const overTime = {
  id: '2',
  enabled: true,
  type: 'date_histogram',
  schema: 'segment',
  params: { field: '@timestamp', interval: 'auto', min_doc_count: 1, extended_bounds: {} },
};

/** Params of an aggregation-based line chart with one value axis. */
function lineParams(axisTitle: string): object {
  return {
    type: 'line',
    grid: { categoryLines: false },
    categoryAxes: [
      {
        id: 'CategoryAxis-1',
        type: 'category',
        position: 'bottom',
        show: true,
        scale: { type: 'linear' },
        labels: { show: true, filter: true, truncate: 100 },
        title: {},
      },
    ],
    valueAxes: [
      {
        id: 'ValueAxis-1',
        name: 'LeftAxis-1',
        type: 'value',
        position: 'left',
        show: true,
        scale: { type: 'linear', mode: 'normal' },
        labels: { show: true, rotate: 0, filter: false, truncate: 100 },
        title: { text: axisTitle },
      },
    ],
    seriesParams: [
      {
        show: true,
        type: 'line',
        mode: 'normal',
        data: { label: axisTitle, id: '1' },
        valueAxis: 'ValueAxis-1',
        drawLinesBetweenPoints: true,
        lineWidth: 2,
        showCircles: true,
      },
    ],
    addTooltip: true,
    addLegend: true,
    legendPosition: 'right',
    times: [],
    addTimeMarker: false,
  };
}

const tableParams = {
  perPage: 10,
  showPartialRows: false,
  showMetricsAtAllLevels: false,
  showTotal: false,
  totalFunc: 'sum',
  percentageCol: '',
};

function topValues(field: string, size = 10): object {
  return {
    id: '2',
    enabled: true,
    type: 'terms',
    schema: 'bucket',
    params: { field, size, order: 'desc', orderBy: '1' },
  };
}

/** A visualization over the data view, restricted by a KQL query. */
function visualization(id: string, dataView: string, title: string, kql: string, vis: object): SavedObject {
  return object(
    id,
    'visualization',
    {
      title,
      visState: JSON.stringify({ title, ...vis }),
      uiStateJSON: '{}',
      description: '',
      version: 1,
      kibanaSavedObjectMeta: {
        searchSourceJSON: JSON.stringify({
          query: { query: kql, language: 'kuery' },
          filter: [],
          indexRefName: INDEX_REF,
        }),
      },
    },
    [{ id: dataView, name: INDEX_REF, type: 'index-pattern' }],
  );
}

/** The visualizations of one protocol, from its declaration and field definitions. */
function protocolVisualizations(
  beat: string,
  dataView: string,
  p: KibanaExportOptions['protocols'][number],
  mapped: Map<string, FieldDefinition>,
): SavedObject[] {
  const id = (suffix: string) => `${beat}-${p.name}-${suffix}`;
  const only = `type : "${p.name}"`;
  const out = [
    visualization(id('transactions'), dataView, `${p.name}: transactions by status`, only, {
      type: 'line',
      params: lineParams('transactions'),
      aggs: [count, overTime, { ...topValues('status', 5), id: '3', schema: 'group' }],
    }),
    visualization(id('latency'), dataView, `${p.name}: latency percentiles (ns)`, only, {
      type: 'line',
      params: lineParams('event.duration (ns)'),
      aggs: [
        {
          id: '1',
          enabled: true,
          type: 'percentiles',
          schema: 'metric',
          params: { field: 'event.duration', percents: [50, 90, 99] },
        },
        overTime,
      ],
    }),
  ];
  const usable = (name: string | undefined) =>
    name !== undefined && AGGREGATABLE.has(mapped.get(name)?.type ?? '');
  const resource = p.dashboard?.resource;
  if (usable(resource))
    out.push(
      visualization(id('top-resource'), dataView, `${p.name}: top ${resource}`, only, {
        type: 'table',
        params: tableParams,
        aggs: [count, topValues(resource!)],
      }),
    );
  const error = p.dashboard?.error ?? 'error.message';
  if (usable(error))
    out.push(
      visualization(id('errors'), dataView, `${p.name}: errors by ${error}`, `${only} and status : "Error"`, {
        type: 'table',
        params: tableParams,
        aggs: [count, topValues(error)],
      }),
    );
  const extra = p.fields
    .filter((f) => f.type === 'keyword' && f.name !== resource && f.name !== error)
    .slice(0, EXTRA_FIELDS);
  for (const f of extra)
    out.push(
      visualization(id(`field-${f.name}`), dataView, `${p.name}: top ${f.name}`, only, {
        type: 'table',
        params: tableParams,
        aggs: [count, topValues(f.name)],
      }),
    );
  return out;
}

/** A dashboard laying out visualizations two by two (Kibana's grid is 48 columns wide). */
function dashboard(
  id: string,
  title: string,
  description: string,
  visualizations: readonly SavedObject[],
): SavedObject {
  const panels = visualizations.map((_v, i) => ({
    version: CORE_VERSION,
    type: 'visualization',
    gridData: { x: (i % 2) * 24, y: Math.floor(i / 2) * 12, w: 24, h: 12, i: String(i) },
    panelIndex: String(i),
    embeddableConfig: { enhancements: {} },
    panelRefName: `panel_${i}`,
  }));
  return object(
    id,
    'dashboard',
    {
      title,
      description,
      panelsJSON: JSON.stringify(panels),
      optionsJSON: JSON.stringify({ useMargins: true, syncColors: false, hidePanelTitles: false }),
      timeRestore: true,
      timeFrom: 'now-24h',
      timeTo: 'now',
      refreshInterval: { pause: false, value: 10_000 },
      version: 1,
      kibanaSavedObjectMeta: {
        searchSourceJSON: JSON.stringify({ query: { query: '', language: 'kuery' }, filter: [] }),
      },
    },
    visualizations.map((v, i) => ({ id: v.id, name: `${i}:panel_${i}`, type: 'visualization' })),
  );
}

/** Every saved object of the export: the data view, then each protocol's visualizations and dashboard. */
export function kibanaObjects(opts: KibanaExportOptions): SavedObject[] {
  const dataView = `${opts.beatName}-data-view`;
  const mapped = new Map(opts.fields.map((f) => [f.name, f]));
  const out: SavedObject[] = [
    object(
      dataView,
      'index-pattern',
      { title: opts.pattern, timeFieldName: '@timestamp', name: opts.beatName, fields: '[]' },
      [],
    ),
  ];
  for (const p of opts.protocols) {
    const vis = protocolVisualizations(opts.beatName, dataView, p, mapped);
    out.push(...vis);
    out.push(
      dashboard(
        `${opts.beatName}-${p.name}`,
        `[${opts.beatName}] ${p.name}`,
        `${p.name} transactions seen by ${opts.beatName}`,
        vis,
      ),
    );
  }
  return out;
}

/** The export as NDJSON, one saved object a line (Kibana's Stack Management > Saved objects > Import). */
export function kibanaSavedObjects(opts: KibanaExportOptions): string {
  return kibanaObjects(opts)
    .map((o) => JSON.stringify(o) + '\n')
    .join('');
}
