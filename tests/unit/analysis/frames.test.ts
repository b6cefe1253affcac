import { describe, expect, it } from 'vitest'
import { frameKind, isFrameLine } from '../../../shared/analysis/frames'
import { parseStackTrace } from '../../../shared/analysis/fingerprint'
import { classifyStack } from '../../../shared/runbook'
import { trimStack } from '../../../shared/report'

/** One trace per language, with own and library frames. */
const TRACES: Record<string, string> = {
  java: [
    'java.lang.IllegalStateException: price missing',
    '\tat com.shop.checkout.CartService.total(CartService.java:88)',
    '\tat java.base/java.util.ArrayList.forEach(ArrayList.java:1541)',
    '\tat com.shop.checkout.CartController.show(CartController.java:31)',
    '\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:883)',
    '\tat org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:166)'
  ].join('\n'),
  python: [
    'Traceback (most recent call last):',
    '  File "/usr/lib/python3.11/site-packages/django/core/handlers/base.py", line 197, in _get_response',
    '    response = wrapped_callback(request, *callback_args, **callback_kwargs)',
    '  File "/app/shop/views.py", line 12, in checkout',
    '    total = cart.total()',
    "KeyError: 'price'"
  ].join('\n'),
  node: [
    "TypeError: Cannot read properties of undefined (reading 'price')",
    '    at computeTotal (/srv/shop/src/cart/total.js:42:17)',
    '    at Layer.handle (/srv/shop/node_modules/express/lib/router/layer.js:95:5)',
    '    at /srv/shop/src/app.js:10:3',
    '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)'
  ].join('\n'),
  ruby: [
    "NoMethodError (undefined method `price' for nil:NilClass):",
    "  app/models/cart.rb:12:in `total'",
    "  app/controllers/carts_controller.rb:8:in `show'",
    "  /usr/local/bundle/gems/actionpack-7.1.0/lib/action_controller/metal/basic_implicit_render.rb:6:in `send_action'"
  ].join('\n'),
  php: [
    "PHP Fatal error:  Uncaught Exception: price missing in /var/www/src/Cart.php:12",
    'Stack trace:',
    '#0 /var/www/src/Controller.php(31): App\\Cart->total()',
    '#1 /var/www/vendor/laravel/framework/src/Illuminate/Routing/Controller.php(54): App\\Controller->show()',
    '#2 [internal function]: Illuminate\\Routing\\Controller->callAction()',
    '#3 {main}'
  ].join('\n'),
  dotnet: [
    'System.NullReferenceException: Object reference not set to an instance of an object.',
    '   at Shop.Cart.Total() in /src/Shop/Cart.cs:line 12',
    '   at Shop.CartController.Show(Int32 id) in /src/Shop/CartController.cs:line 31',
    '   at Microsoft.AspNetCore.Mvc.Infrastructure.ActionMethodExecutor.Execute(IActionResultTypeMapper mapper)'
  ].join('\n'),
  go: [
    'panic: runtime error: invalid memory address or nil pointer dereference',
    '',
    'goroutine 7 [running]:',
    'github.com/shop/cart.(*Cart).Total(0x0)',
    '\t/build/cart/cart.go:12 +0x1d',
    'net/http.HandlerFunc.ServeHTTP(0xc000010000)',
    '\t/usr/local/go/src/net/http/server.go:2136 +0x29',
    'github.com/gorilla/mux.(*Router).ServeHTTP(0xc0000a4000)',
    '\t/root/go/pkg/mod/github.com/gorilla/mux@v1.8.0/mux.go:210 +0xcf'
  ].join('\n')
}

describe('one set of frame rules for the fingerprint, the runbook and the report', () => {
  it.each(Object.keys(TRACES))('%s: the frames the runbook highlights are the ones the fingerprint keeps as in-app', (language) => {
    const text = TRACES[language]
    const parsed = parseStackTrace(text)
    expect(parsed.language).toBe(language)
    const appLines = classifyStack(text).filter((l) => l.kind === 'app')
    const libraryLines = classifyStack(text).filter((l) => l.kind === 'library')
    expect(appLines.length).toBe(parsed.frames.filter((f) => f.inApp).length)
    expect(libraryLines.length).toBe(parsed.frames.filter((f) => !f.inApp).length)
    expect(appLines.length).toBeGreaterThan(0)
    expect(libraryLines.length).toBeGreaterThan(0)
  })

  it('the report counts as frames exactly the lines the runbook classifies as frames', () => {
    for (const text of Object.values(TRACES)) {
      const frames = classifyStack(text).filter((l) => l.kind !== 'text').length
      expect(trimStack(text, 100).frames).toBe(frames)
      expect(text.split('\n').filter(isFrameLine).length).toBe(frames)
    }
  })

  it.each([
    ['\tat com.shop.Foo.bar(Foo.java:1)', 'app'],
    ['\tat jdk.internal.reflect.Method.invoke(Method.java:1)', 'library'],
    ['    at new Promise (<anonymous>)', 'library'],
    ['    at file:///srv/app/index.mjs:3:9', 'app'],
    ['   at System.Threading.Tasks.Task.Execute()', 'library'],
    ['  File "<frozen importlib._bootstrap>", line 1, in _load', 'library'],
    ['Caused by: java.io.IOException: closed', 'text'],
    ['#3 {main}', 'text'],
    ['an ordinary log line', 'text']
  ])('%s → %s', (line, kind) => expect(frameKind(line)).toBe(kind))
})
