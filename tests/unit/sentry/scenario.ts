/**
 * One incident in three services' own log shapes (Spring Boot, Django under gunicorn, a Node
 * service's JSON lines), and the Sentry issues the same bugs raised: three that match a log group
 * by type and in-app frames, and one (a frontend-facing GraphQL resolver) the logs never show.
 */
import type { FakeIssue } from './server'

export const JAVA_LOG = [
  '2026-03-10 14:02:11.482  INFO 1 --- [nio-8080-exec-3] c.a.shop.web.OrderController             : POST /api/orders started',
  '2026-03-10 14:02:11.517 ERROR 1 --- [nio-8080-exec-3] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is java.lang.IllegalStateException: Cart 8812 has no shipping address] with root cause',
  '',
  'java.lang.IllegalStateException: Cart 8812 has no shipping address',
  '\tat com.acme.shop.order.OrderService.shippingFor(OrderService.java:142) ~[classes!/:0.0.1]',
  '\tat com.acme.shop.order.OrderService.placeOrder(OrderService.java:88) ~[classes!/:0.0.1]',
  '\tat com.acme.shop.web.OrderController.create(OrderController.java:51) ~[classes!/:0.0.1]',
  '\tat java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method) ~[na:na]',
  '\tat org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:205) ~[spring-web-5.3.23.jar!/:5.3.23]',
  '\tat org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1071) ~[spring-webmvc-5.3.23.jar!/:5.3.23]',
  ''
].join('\n')

export const PYTHON_LOG = [
  '[2026-03-10 14:02:12 +0000] [42] [INFO] Booting worker with pid: 42',
  'ERROR 2026-03-10 14:02:13,201 log 42 140213 Internal Server Error: /checkout/',
  'Traceback (most recent call last):',
  '  File "/usr/local/lib/python3.11/site-packages/django/core/handlers/exception.py", line 55, in inner',
  '    response = get_response(request)',
  '  File "/usr/local/lib/python3.11/site-packages/django/core/handlers/base.py", line 197, in _get_response',
  '    response = wrapped_callback(request, *callback_args, **callback_kwargs)',
  '  File "/app/shop/views.py", line 88, in checkout',
  '    total = pricing.total_for(cart)',
  '  File "/app/shop/pricing.py", line 31, in total_for',
  '    rate = TAX_RATES[cart.region]',
  "KeyError: 'XK'",
  ''
].join('\n')

export const NODE_LOG = [
  JSON.stringify({ level: 50, time: Date.parse('2026-03-10T14:02:14.311Z'), pid: 7, hostname: 'api-6d9f', req: { method: 'GET', url: '/api/users/17/avatar' }, err: { type: 'TypeError', message: "Cannot read properties of undefined (reading 'url')", stack: "TypeError: Cannot read properties of undefined (reading 'url')\n    at avatarUrl (/srv/app/src/users/avatar.js:23:28)\n    at UserController.avatar (/srv/app/src/users/controller.js:61:12)\n    at Layer.handle [as handle_request] (/srv/app/node_modules/express/lib/router/layer.js:95:5)\n    at next (/srv/app/node_modules/express/lib/router/route.js:144:13)" }, msg: "Cannot read properties of undefined (reading 'url')" }),
  ''
].join('\n')

const at = (s: string): string => `2026-03-10T14:${s}Z`

export const SENTRY_ISSUES: FakeIssue[] = [
  {
    id: '4501',
    shortId: 'SHOP-API-1Z',
    title: 'IllegalStateException: Cart 8812 has no shipping address',
    culprit: 'com.acme.shop.order.OrderService in shippingFor',
    count: '312',
    userCount: 97,
    firstSeen: at('01:58.000'),
    lastSeen: at('09:40.000'),
    release: 'shop-api@2.14.0',
    exception: [
      {
        type: 'IllegalStateException',
        module: 'java.lang',
        value: 'Cart 9120 has no shipping address',
        frames: [
          { module: 'org.springframework.web.servlet.DispatcherServlet', filename: 'DispatcherServlet.java', function: 'doDispatch', inApp: false, lineNo: 1071 },
          { module: 'com.acme.shop.web.OrderController', filename: 'OrderController.java', function: 'create', inApp: true, lineNo: 51 },
          { module: 'com.acme.shop.order.OrderService', filename: 'OrderService.java', function: 'placeOrder', inApp: true, lineNo: 88 },
          { module: 'com.acme.shop.order.OrderService', filename: 'OrderService.java', function: 'shippingFor', inApp: true, lineNo: 142 }
        ]
      }
    ]
  },
  {
    id: '4502',
    shortId: 'SHOP-WEB-8K',
    title: "KeyError: 'XK'",
    culprit: 'shop.pricing in total_for',
    count: '58',
    userCount: 41,
    firstSeen: at('02:05.000'),
    lastSeen: at('09:12.000'),
    release: 'shop-web@1.9.3',
    exception: [
      {
        type: 'KeyError',
        value: "'XK'",
        frames: [
          { module: 'django.core.handlers.exception', filename: 'django/core/handlers/exception.py', function: 'inner', inApp: false, lineNo: 55 },
          { module: 'shop.views', filename: 'shop/views.py', function: 'checkout', inApp: true, lineNo: 88 },
          { module: 'shop.pricing', filename: 'shop/pricing.py', function: 'total_for', inApp: true, lineNo: 31 }
        ]
      }
    ]
  },
  {
    id: '4503',
    shortId: 'USERS-API-3',
    title: "TypeError: Cannot read properties of undefined (reading 'url')",
    culprit: 'avatarUrl(src/users/avatar)',
    count: '1204',
    userCount: 650,
    firstSeen: at('02:00.000'),
    lastSeen: at('09:59.000'),
    release: 'users-api@5.2.1',
    exception: [
      {
        type: 'TypeError',
        value: "Cannot read properties of undefined (reading 'url')",
        frames: [
          { filename: '/srv/app/node_modules/express/lib/router/layer.js', function: 'Layer.handle [as handle_request]', inApp: false, lineNo: 95 },
          { module: 'users.controller', filename: '/srv/app/src/users/controller.js', function: 'UserController.avatar', inApp: true, lineNo: 61 },
          { module: 'users.avatar', filename: '/srv/app/src/users/avatar.js', function: 'avatarUrl', inApp: true, lineNo: 23 }
        ]
      }
    ]
  },
  {
    id: '4504',
    shortId: 'USERS-API-4',
    title: 'RangeError: Maximum call stack size exceeded',
    culprit: 'resolveFriends(src/graphql/friends)',
    count: '9',
    userCount: 3,
    firstSeen: at('03:30.000'),
    lastSeen: at('05:02.000'),
    release: 'users-api@5.2.1',
    exception: [
      {
        type: 'RangeError',
        value: 'Maximum call stack size exceeded',
        frames: [{ module: 'graphql.friends', filename: '/srv/app/src/graphql/friends.js', function: 'resolveFriends', inApp: true, lineNo: 12 }]
      }
    ]
  }
]
