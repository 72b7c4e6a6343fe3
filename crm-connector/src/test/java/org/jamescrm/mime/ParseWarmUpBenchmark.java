package org.jamescrm.mime;

import java.io.ByteArrayInputStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.jamescrm.model.ParseScope;
import org.jamescrm.testing.TestMessages;

/**
 * The parse's warm-up in a fresh JVM (docs/BENCHMARKS.md): the delivery benchmark's client mail (21 KB,
 * text and HTML, a new client each) parsed {@code parses} times in the shipped configuration's scope,
 * as the capture queue of a James just started meets them. Prints, for each block of parses and in all,
 * the time the parses took and the time the JIT compilers spent meanwhile: what a server pays once,
 * after its start, on top of the parse's steady cost (the JMH benchmark {@code parseOneMail}). Run by
 * {@code bin/benchmark warmup [parses] [block]}; each run is a fresh JVM, so compare builds by
 * alternating runs.
 */
public final class ParseWarmUpBenchmark {

    private ParseWarmUpBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int parses = args.length > 0 ? Integer.parseInt(args[0]) : 2300;
        int block = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        String body = TestMessages.orderBody(21);
        byte[][] mails = new byte[parses][];
        for (int n = 0; n < parses; n++) {
            mails[n] = TestMessages.order("client" + n + "@client.example", "alice@company.example", "<warm-" + n + "@client.example>", n, body)
                .getBytes(StandardCharsets.UTF_8);
        }
        MessageParser parser = new MessageParser();
        ParseScope scope = new ParseScope(24L << 20, true);
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        System.out.printf(Locale.ROOT, "%nParse warm-up: %d parses of a %d-byte client mail, fresh JVM (%s)%n%n", parses, mails[0].length,
            Runtime.version());
        System.out.println("| parses | µs a parse in the block | JIT ms in the block |");
        System.out.println("|---|---|---|");
        long characters = 0; // read, so that no parse is optimized away
        long jitStart = jit.getTotalCompilationTime();
        long start = System.nanoTime();
        long blockStart = start;
        long blockJit = jitStart;
        for (int n = 1; n <= parses; n++) {
            characters += parser.parse(new ByteArrayInputStream(mails[n - 1]), scope).textBody().length();
            if (n % block == 0 || n == parses) {
                long now = System.nanoTime();
                long jitNow = jit.getTotalCompilationTime();
                int inBlock = n % block == 0 ? block : n % block;
                System.out.printf(Locale.ROOT, "| %d | %.1f | %d |%n", n, (now - blockStart) / 1e3 / inBlock, jitNow - blockJit);
                blockStart = now;
                blockJit = jitNow;
            }
        }
        double millis = (System.nanoTime() - start) / 1e6;
        System.out.printf(Locale.ROOT, "%n%d parses in %.0f ms (%.1f µs a parse); the JIT compilers spent %d ms meanwhile (%d characters read)%n",
            parses, millis, millis * 1000 / parses, jit.getTotalCompilationTime() - jitStart, characters);
    }
}
