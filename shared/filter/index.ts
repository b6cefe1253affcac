export { EVENT_KINDS, FILTER_FIELDS, isEmptyFilter, parseFilter, type Filter, type FilterField, type FilterParse, type FilterTerm, type StatusOp } from './parse'
export { filterFields, matchesFilter, type FilterFields } from './match'
