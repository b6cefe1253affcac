import { describe, it, expect } from 'vitest'
import { detectTraceLanguage, fingerprintTrace, parseStackTrace } from '../../../shared/analysis/fingerprint'
import { hasSharedData } from '../../support/shared-data'
import { indexedTraces } from './stacktraces'

/** The same trace after a deploy that moved every line. */
const shiftLines = (trace: string, by: number): string =>
  trace.replace(/(\.(?:java|py|js|go|rb|php|cs)[:(]|line )(\d+)/g, (_m, lead: string, n: string) => `${lead}${Number(n) + by}`).replace(/:(\d+):(\d+)\)/g, (_m, l: string, c: string) => `:${Number(l) + by}:${Number(c) + 2})`)

const JAVA = `java.lang.IllegalStateException: checkout failed for cart 8812
\tat com.shop.checkout.CheckoutService.lambda$submit$0(CheckoutService.java:88)
\tat java.base/java.util.Optional.map(Optional.java:260)
\tat com.shop.checkout.CheckoutService$$EnhancerBySpringCGLIB$$5a3f1b2.submit(<generated>)
\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:897)
\tat com.shop.web.CheckoutController$1.handle(CheckoutController.java:41)
Caused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30004ms.
\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)
\tat com.shop.db.OrderRepository.save(OrderRepository.java:52)
\tat com.shop.checkout.CheckoutService.persist(CheckoutService.java:120)
\t... 12 more`

const PYTHON = `Traceback (most recent call last):
  File "/srv/app/api/orders.py", line 41, in create_order
    total = price(cart)
  File "/srv/app/api/pricing.py", line 12, in price
    return sum(map(lambda i: i.cost, cart.items))
KeyError: 'sku-123'

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "/usr/lib/python3.11/site-packages/flask/app.py", line 1823, in full_dispatch_request
    rv = self.dispatch_request()
  File "/srv/app/api/orders.py", line 44, in create_order
    raise OrderError("cannot price cart 77")
  File "/srv/app/api/orders.py", line 9, in <lambda>
    x = 1
api.errors.OrderError: cannot price cart 77`

const NODE = `TypeError: Cannot read properties of undefined (reading 'id')
    at getUser (/app/src/users/service.js:27:18)
    at async Object.<anonymous> (/app/src/routes/users.js:14:5)
    at Layer.handle [as handle_request] (/app/node_modules/express/lib/router/layer.js:95:5)
    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)`

const GO = `panic: runtime error: invalid memory address or nil pointer dereference
[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x6b4e2a]

goroutine 41 [running]:
github.com/acme/shop/internal/cart.(*Service).Total.func1(0xc000120000)
\t/build/internal/cart/service.go:77 +0x2a
github.com/acme/shop/internal/cart.(*Service).Total(0xc0000a4000, 0x0)
\t/build/internal/cart/service.go:80 +0x55
net/http.HandlerFunc.ServeHTTP(0x0, 0x0, 0x0)
\t/usr/local/go/src/net/http/server.go:2136 +0x29
github.com/go-chi/chi/v5.(*Mux).routeHTTP(0xc0000a6000)
\t/root/go/pkg/mod/github.com/go-chi/chi/v5@v5.0.8/mux.go:444 +0x216`

const RUBY = `app/services/payment.rb:31:in \`charge': card declined for order 991 (Payments::DeclinedError)
\tfrom /usr/local/bundle/gems/activesupport-7.0.4/lib/active_support/callbacks.rb:118:in \`block in run_callbacks'
\tfrom app/services/payment.rb:12:in \`block (2 levels) in process'
\tfrom app/controllers/orders_controller.rb:20:in \`create'`

const PHP = `PHP Fatal error:  Uncaught RuntimeException: Order 55 not found in /var/www/app/src/OrderRepo.php:40
Stack trace:
#0 /var/www/app/src/OrderService.php(22): App\\OrderRepo->find(55)
#1 /var/www/app/vendor/laravel/framework/src/Illuminate/Pipeline/Pipeline.php(128): App\\OrderService->show(Object(Illuminate\\Http\\Request))
#2 {main}
  thrown in /var/www/app/src/OrderRepo.php on line 40`

const DOTNET = `System.InvalidOperationException: Request failed ---> System.TimeoutException: The operation timed out after 5000 ms
   at Shop.Payments.Gateway.<ChargeAsync>d__4.MoveNext() in /src/Payments/Gateway.cs:line 61
   at System.Runtime.CompilerServices.TaskAwaiter.ThrowForNonSuccess(Task task)
   at Shop.Payments.Gateway.<>c__DisplayClass4_0.<ChargeAsync>b__0() in /src/Payments/Gateway.cs:line 70
   --- End of inner exception stack trace ---
   at Shop.Api.OrdersController.Create(OrderDto dto) in /src/Api/OrdersController.cs:line 33`

describe('parseStackTrace', () => {
  it.each([
    ['java', JAVA],
    ['python', PYTHON],
    ['node', NODE],
    ['go', GO],
    ['ruby', RUBY],
    ['php', PHP],
    ['dotnet', DOTNET]
  ])('detects %s', (language, trace) => {
    expect(detectTraceLanguage(trace)).toBe(language)
  })

  it('uses the root cause of a Java Caused-by chain and drops dependency and generated frames', () => {
    const fp = fingerprintTrace(JAVA)
    expect(fp.errorType).toBe('java.sql.SQLTransientConnectionException')
    expect(fp.frames).toEqual(['com.shop.db.OrderRepository.save', 'com.shop.checkout.CheckoutService.persist'])
    expect(fp.messageTemplate).toBe('HikariPool<*> - Connection is not available, request timed out after <*>ms.')
  })

  it("reads Java frames followed by Logback's packaging data (Spring Boot's default)", () => {
    const t = parseStackTrace(
      [
        'java.lang.IllegalStateException: Cart 8812 has no shipping address',
        '\tat com.acme.shop.order.OrderService.shippingFor(OrderService.java:142) ~[classes!/:0.0.1]',
        '\tat org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1071) ~[spring-webmvc-5.3.23.jar!/:5.3.23]',
        '\tat java.base/java.lang.Thread.run(Thread.java:833) [na:na]'
      ].join('\n')
    )
    expect(t.language).toBe('java')
    expect(t.frames.map((f) => [f.module, f.func, f.inApp])).toEqual([
      ['com.acme.shop.order.OrderService', 'shippingFor', true],
      ['org.springframework.web.servlet.DispatcherServlet', 'doDispatch', false],
      ['java.lang.Thread', 'run', false]
    ])
  })

  it('normalizes Java lambdas, CGLIB proxies and anonymous classes', () => {
    const outer = parseStackTrace(JAVA.split('Caused by:')[0])
    expect(outer.frames.filter((f) => f.inApp).map((f) => `${f.module}.${f.func}`)).toEqual([
      'com.shop.checkout.CheckoutService.lambda$submit',
      'com.shop.checkout.CheckoutService.submit',
      'com.shop.web.CheckoutController$.handle'
    ])
    const renumbered = JAVA.replace('lambda$submit$0', 'lambda$submit$3').replace('5a3f1b2', '99ffee1').replace('CheckoutController$1', 'CheckoutController$2')
    expect(fingerprintTrace(renumbered.split('Caused by:')[0]).id).toBe(fingerprintTrace(JAVA.split('Caused by:')[0]).id)
  })

  it('uses the last exception of a chained Python traceback, innermost frame first', () => {
    const fp = fingerprintTrace(PYTHON)
    expect(fp.errorType).toBe('api.errors.OrderError')
    expect(fp.frames).toEqual(['orders.<lambda>', 'orders.create_order'])
  })

  it('reads Node frames, normalizing <anonymous> and async, skipping node_modules and node: internals', () => {
    const fp = fingerprintTrace(NODE)
    expect(fp.errorType).toBe('TypeError')
    expect(fp.frames).toEqual(['service.getUser', 'users.<anonymous>'])
  })

  it('reads the panicking goroutine of a Go trace, folding closures and skipping stdlib and modules', () => {
    const fp = fingerprintTrace(GO)
    expect(fp.errorType).toBe('runtime error')
    expect(fp.frames).toEqual(['service.github.com/acme/shop/internal/cart.(*Service).Total.func', 'service.github.com/acme/shop/internal/cart.(*Service).Total'])
  })

  it('reads Ruby, PHP and .NET traces without their gems, vendor and System frames', () => {
    expect(fingerprintTrace(RUBY)).toMatchObject({ errorType: 'Payments::DeclinedError', frames: ['payment.charge', 'payment.process', 'orders_controller.create'] })
    expect(fingerprintTrace(PHP)).toMatchObject({ errorType: 'RuntimeException', frames: ['OrderService.App\\OrderRepo->find'] })
    const dotnet = fingerprintTrace(DOTNET)
    expect(dotnet.errorType).toBe('System.TimeoutException')
    expect(dotnet.frames).toEqual(['Shop.Payments.Gateway.ChargeAsync', 'Shop.Payments.Gateway.<lambda>.ChargeAsync'])
  })
})

describe('fingerprintTrace', () => {
  it.each([JAVA, PYTHON, NODE, GO, RUBY, PHP, DOTNET])('keeps one fingerprint when a deploy shifts line numbers (%#)', (trace) => {
    const shifted = shiftLines(trace, 7)
    expect(shifted).not.toBe(trace)
    expect(fingerprintTrace(shifted).id).toBe(fingerprintTrace(trace).id)
  })

  it('splits a different exception type or message in the same function', () => {
    const base = fingerprintTrace(NODE)
    const otherType = fingerprintTrace(NODE.replace('TypeError', 'RangeError'))
    const otherMessage = fingerprintTrace(NODE.replace("Cannot read properties of undefined (reading 'id')", 'user store unavailable'))
    expect(new Set([base.id, otherType.id, otherMessage.id]).size).toBe(3)
    // values inside the message do not split it
    expect(fingerprintTrace(JAVA.replace('30004ms', '30117ms')).id).toBe(fingerprintTrace(JAVA).id)
  })

  it('falls back to the top frames when no application frame remains', () => {
    const trace = `java.lang.NullPointerException
\tat java.util.HashMap.get(HashMap.java:10)
\tat org.springframework.core.Foo.bar(Foo.java:3)
\tat java.lang.Thread.run(Thread.java:1)
\tat java.lang.Thread.start(Thread.java:1)`
    expect(fingerprintTrace(trace).frames).toEqual(['java.util.HashMap.get', 'org.springframework.core.Foo.bar', 'java.lang.Thread.run'])
  })

  it('takes the error type from the hint when the text has none', () => {
    const fp = fingerprintTrace('    at handler (/app/src/h.js:1:1)', { errorType: 'DbError', errorMessage: 'pool exhausted' })
    expect(fp).toMatchObject({ errorType: 'DbError', messageTemplate: 'pool exhausted', frames: ['h.handler'] })
  })
})

describe.skipIf(!hasSharedData)('fingerprints of the shared stack-trace corpus', () => {
  const traces = hasSharedData ? indexedTraces().filter((t) => t.file !== 'dart.txt' && t.name !== 'ARBITRARY_TEXT') : []

  it('gives every trace a type and frames, and shifted copies the same id', () => {
    expect(traces.length).toBeGreaterThanOrEqual(17)
    for (const trace of traces) {
      const fp = fingerprintTrace(trace.text)
      expect(fp.language, trace.name).not.toBe('unknown')
      expect(fp.frames.length, trace.name).toBeGreaterThan(0)
      if (trace.name !== 'V8_JS_EXC') expect(fp.errorType, trace.name).not.toBeNull()
      expect(fingerprintTrace(shiftLines(trace.text, 3)).id, trace.name).toBe(fp.id)
    }
  })

  it('gives distinct traces distinct fingerprints', () => {
    const ids = new Set(traces.map((t) => fingerprintTrace(t.text).id))
    expect(ids.size).toBe(traces.length)
  })

  it('uses the root cause of the nested Java trace and keeps the jetty and javax frames out', () => {
    const complex = fingerprintTrace(traces.find((t) => t.name === 'COMPLEX_JAVA_EXC')?.text ?? '')
    expect(complex.errorType).toBe('com.example.myproject.MyProjectServletException')
    expect(complex.frames).toEqual(['com.example.myproject.MyServlet.doPost', 'com.example.myproject.OpenSessionInViewFilter.doFilter'])
    const nested = fingerprintTrace(traces.find((t) => t.name === 'NESTED_JAVA_EXC')?.text ?? '')
    expect(nested.errorType).toBe('com.sun.mail.smtp.SMTPAddressFailedException')
    expect(nested.frames).toEqual(['com.nethunt.crm.api.server.adminsync.AutomaticEmailFacade.sendWithSmtp'])
  })

  it('keeps Rails gem frames out and falls back to the top frames when only gems remain', () => {
    const rails = fingerprintTrace(traces.find((t) => t.name === 'RAILS_EXC')?.text ?? '')
    expect(rails.errorType).toBe('ActionController::RoutingError')
    expect(rails.frames).toEqual(['debug_exceptions.call', 'show_exceptions.call', 'logger.call_app'])
    const node = fingerprintTrace(traces.find((t) => t.name === 'NODE_JS_EXC')?.text ?? '')
    expect(node.frames).toEqual(['app.<anonymous>'])
  })
})
