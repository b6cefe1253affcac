/**
 * The exceptions the simulated service throws, with the stack traces Node 20 prints for them
 * (V8 keeps 10 frames): in-app frames under /srv/app/src, then Express 4.18's router frames.
 */
export interface SimulatedError {
  type: string
  message: string
  stack: string
}

const EXPRESS_FRAMES = [
  '    at Layer.handle [as handle_request] (/srv/app/node_modules/express/lib/router/layer.js:95:5)',
  '    at next (/srv/app/node_modules/express/lib/router/route.js:149:13)',
  '    at Route.dispatch (/srv/app/node_modules/express/lib/router/route.js:119:3)',
  '    at Layer.handle [as handle_request] (/srv/app/node_modules/express/lib/router/layer.js:95:5)',
  '    at /srv/app/node_modules/express/lib/router/index.js:284:15',
  '    at param (/srv/app/node_modules/express/lib/router/index.js:365:14)',
  '    at param (/srv/app/node_modules/express/lib/router/index.js:376:14)',
  '    at Function.process_params (/srv/app/node_modules/express/lib/router/index.js:421:3)'
]

function withFrames(type: string, message: string, appFrames: string[]): SimulatedError {
  const frames = [...appFrames, ...EXPRESS_FRAMES].slice(0, 10)
  return { type, message, stack: [`${type}: ${message}`, ...frames].join('\n') }
}

/** The regression the new version ships: receipts of orders without a `totals` block crash. */
export const RECEIPT_TYPE_ERROR: SimulatedError = withFrames('TypeError', "Cannot read properties of undefined (reading 'total')", [
  '    at formatTotals (/srv/app/src/receipts/render.js:42:17)',
  '    at renderReceipt (/srv/app/src/receipts/render.js:18:21)',
  '    at /srv/app/src/routes/orders.js:87:24'
])

/** A long-standing rare failure, present before and after the deploy: an order with a corrupt date. */
export const ORDER_DATE_RANGE_ERROR: SimulatedError = {
  type: 'RangeError',
  message: 'Invalid time value',
  stack: [
    'RangeError: Invalid time value',
    '    at Date.toISOString (<anonymous>)',
    '    at serializeOrder (/srv/app/src/orders/serialize.js:27:34)',
    '    at Array.map (<anonymous>)',
    '    at listOrders (/srv/app/src/routes/orders.js:41:28)',
    '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)'
  ].join('\n')
}
