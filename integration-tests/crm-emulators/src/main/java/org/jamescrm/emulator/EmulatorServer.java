package org.jamescrm.emulator;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The HTTP side of an emulator: a server on a free loopback port that hands each request to a
 * {@link CrmEndpoint}, after applying the {@link FaultPlan} (latency, raw answers, connections held
 * until the client times out, connections dropped, and the faults the endpoint words itself), and
 * records every request in a {@link CallLog} with its timing. It also counts requests and the
 * highest number in flight at once, the figure a client's concurrency limit is checked against.
 * <p>
 * The JDK's own server is enough: the emulators run in the tests' JVM and must not pull a web
 * framework into every module's test class path. HTTP/1.1 only, plain HTTP.
 *
 * <pre>{@code
 * EmulatorServer server = EmulatorServer.builder(endpoint).name("zoho").clock(clock).start();
 * server.faults().next(2, Fault.status(503));
 * // point the connector at server.baseUrl()
 * }</pre>
 */
public final class EmulatorServer implements AutoCloseable {
    private final CrmEndpoint endpoint;
    private final Clock clock;
    private final HttpServer server;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    private final URI baseUrl;
    private final FaultPlan faults = new FaultPlan();
    private final CallLog calls = new CallLog();
    private final Map<HttpExchange, Flight> held = new LinkedHashMap<>();
    private final AtomicLong received = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile boolean closed;

    /** Configures a server; see {@link EmulatorServer#builder(CrmEndpoint)}. */
    public static final class Builder {
        private final CrmEndpoint endpoint;
        private String name = "crm-emulator";
        private int threads = 16;
        private Clock clock = Clock.systemUTC();

        private Builder(CrmEndpoint endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        }

        /** The prefix of the server's thread names (default {@code crm-emulator}), to tell emulators apart in a thread dump. */
        public Builder name(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
            this.name = name;
            return this;
        }

        /** How many requests are served at once (default 16); more wait for a thread, as on a saturated CRM. */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** The clock of the requests' arrival times (default the system's UTC clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Binds 127.0.0.1 on an ephemeral port and starts serving. */
        public EmulatorServer start() {
            return new EmulatorServer(this);
        }
    }

    /** A builder for a server answering with {@code endpoint}. */
    public static Builder builder(CrmEndpoint endpoint) {
        return new Builder(endpoint);
    }

    private EmulatorServer(Builder builder) {
        this.endpoint = builder.endpoint;
        this.clock = builder.clock;
        try {
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind the " + builder.name + " emulator on 127.0.0.1", e);
        }
        this.baseUrl = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        this.workers = Executors.newFixedThreadPool(builder.threads, threads(builder.name + "-"));
        this.timer = Executors.newSingleThreadScheduledExecutor(threads(builder.name + "-timer-"));
        server.createContext("/", this::handle);
        server.setExecutor(workers);
        server.start();
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The server's base URL, {@code http://127.0.0.1:PORT/}. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** The programmable faults; see {@link FaultPlan}. */
    public FaultPlan faults() {
        return faults;
    }

    /** The requests received so far; see {@link CallLog}. */
    public CallLog calls() {
        return calls;
    }

    /** How many HTTP requests arrived since start or reset, including faulted and refused ones. */
    public long requestCount() {
        return received.get();
    }

    /** The highest number of requests in flight at once since start or reset. */
    public int maxConcurrentRequests() {
        return maxInFlight.get();
    }

    /** How many requests are in flight now (held connections included). */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Back to the state just after start: faults dropped, the call log and the counters cleared, held
     * connections closed. The endpoint's own state is the emulator's to reset.
     */
    public void reset() {
        faults.clear();
        calls.clear();
        releaseHeldConnections();
        received.set(0);
        maxInFlight.set(inFlight.get());
    }

    /** Closes every held connection now, without an answer. */
    public void releaseHeldConnections() {
        List<HttpExchange> release;
        synchronized (held) {
            release = new ArrayList<>(held.keySet());
        }
        release.forEach(this::release);
    }

    /** Stops serving and closes held connections. */
    @Override
    public void close() {
        closed = true;
        releaseHeldConnections();
        server.stop(0);
        timer.shutdownNow();
        workers.shutdownNow();
    }

    /** One request in flight; it lands once, when its answer is about to leave (or its connection closes). */
    private final class Flight {
        private final AtomicBoolean landed = new AtomicBoolean();

        Flight() {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        }

        void land() {
            if (landed.compareAndSet(false, true)) {
                inFlight.decrementAndGet();
            }
        }
    }

    private void handle(HttpExchange exchange) {
        long sequence = received.incrementAndGet();
        long started = System.nanoTime();
        Flight flight = new Flight();
        boolean keep = false;
        EmulatorRequest request = null;
        try {
            request = read(exchange, sequence);
            endpoint.prepare(request);
            keep = serve(exchange, flight, request, started);
        } catch (IOException e) {
            // the client went away: nothing to answer
        } catch (RuntimeException bug) {
            Reply reply = endpoint.failure(bug, request);
            if (request != null) {
                log(request, started, reply.status(), reply.errorCode(), Call.Outcome.ANSWERED);
            }
            try {
                send(exchange, reply);
            } catch (IOException | RuntimeException ignored) {
                // the client went away, or the answer was already under way
            }
        } finally {
            if (!keep) {
                flight.land();
                exchange.close();
            }
        }
    }

    /** Serves one request; true when its exchange is held open (timeout fault). */
    private boolean serve(HttpExchange exchange, Flight flight, EmulatorRequest request, long started) throws IOException {
        Optional<Fault> fault = faults.take(request);
        Reply reply;
        if (fault.isEmpty() || fault.get() instanceof Fault.Latency) {
            fault.ifPresent(latency -> sleep(((Fault.Latency) latency).delay()));
            reply = endpoint.answer(request);
        } else if (fault.get() instanceof Fault.Timeout timeout) {
            log(request, started, 0, null, Call.Outcome.HELD);
            hold(exchange, flight, timeout.hold());
            return true;
        } else if (fault.get() instanceof Fault.Drop) {
            log(request, started, 0, null, Call.Outcome.DROPPED);
            return false; // closed by the caller without an answer
        } else if (fault.get() instanceof Fault.Raw raw) {
            reply = Reply.text(raw.status(), raw.contentType(), raw.body());
        } else {
            reply = endpoint.answerFault(fault.get(), request);
        }
        // logged before the answer leaves: a client that has its answer finds its request logged
        log(request, started, reply.status(), reply.errorCode(), Call.Outcome.ANSWERED);
        flight.land();
        send(exchange, reply);
        return false;
    }

    private EmulatorRequest read(HttpExchange exchange, long sequence) throws IOException {
        // the arrival is taken before the body is read, as a CRM stamps a request when it starts on it
        java.time.Instant arrivedAt = clock.instant();
        byte[] body = exchange.getRequestBody().readAllBytes();
        return new EmulatorRequest(sequence, exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
            exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders(), body, arrivedAt);
    }

    private void log(EmulatorRequest request, long started, int status, String errorCode, Call.Outcome outcome) {
        calls.add(new Call(request.sequence(), request.operation(), request.httpMethod(), request.path(), request.arrivedAt(),
            Duration.ofNanos(System.nanoTime() - started), status, errorCode, outcome, request.detail().orElse(null)));
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", reply.contentType());
        reply.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
        if (reply.body().length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply.body());
            }
        }
    }

    private void hold(HttpExchange exchange, Flight flight, Duration hold) {
        synchronized (held) {
            held.put(exchange, flight);
        }
        if (closed) {
            release(exchange);
            return;
        }
        try {
            timer.schedule(() -> release(exchange), hold.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            release(exchange);
        }
    }

    /** Closes a held exchange without an answer, once. */
    private void release(HttpExchange exchange) {
        Flight flight;
        synchronized (held) {
            flight = held.remove(exchange);
        }
        if (flight != null) {
            flight.land();
            exchange.close();
        }
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
