package org.jamescrm.it.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Whose garbage was it? Reads a flight recording of James (made with {@code BACKLOG_JAVA_OPTS}, see
 * {@link BacklogBenchmark}) and, for each full collection and each collection whose evacuation failed,
 * prints what was allocated in the seconds before it: by thread (digits folded, so that a pool is
 * one line), split into what the product's code allocated (a frame of {@code org.jamescrm} on the
 * stack) and what James did on its own, and the places that allocated most (for the product's, its
 * first frame on the stack and the frame that allocated). Figures are JFR's
 * allocation samples' weights, an estimate of the bytes allocated. With
 * {@code +jdk.ObjectAllocationOutsideTLAB#enabled=true} in the recording's options it also lists the
 * objects large enough for G1 to allocate them as humongous, which is what fills a small heap at once. Run by
 * {@code bin/benchmark allocations FILE.jfr [seconds before]}; times are James's uptime, as in the GC log.
 */
public final class AllocationByThread {
    private static final String PRODUCT = "org.jamescrm.";

    private AllocationByThread() {
    }

    /** One allocation sample: when, by which thread, how many bytes, and where. */
    private record Sample(Instant at, String thread, long bytes, boolean product, String site) {
    }

    /** G1 allocates an object of half a region or more as humongous: half of the 1 MB regions of a heap of 512 MB. */
    private static final long HUMONGOUS = 512 * 1024;

    /** A collection worth explaining. */
    private record Collection(Instant at, long gcId, String what) {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: AllocationByThread FILE.jfr [seconds before each collection, 10 by default]");
        }
        Duration window = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 10);
        List<Sample> samples = new ArrayList<>();
        List<Sample> humongous = new ArrayList<>();
        Map<Long, Collection> collections = new TreeMap<>();
        Map<Long, Instant> gcStarts = new HashMap<>();
        Optional<Instant> jvmStart = Optional.empty();
        try (RecordingFile recording = new RecordingFile(Path.of(args[0]))) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                switch (event.getEventType().getName()) {
                    case "jdk.ObjectAllocationSample" -> samples.add(sample(event, event.getLong("weight")));
                    case "jdk.ObjectAllocationOutsideTLAB" -> {
                        if (event.getLong("allocationSize") >= HUMONGOUS) {
                            humongous.add(sample(event, event.getLong("allocationSize")));
                        }
                    }
                    case "jdk.GarbageCollection" -> {
                        long gcId = event.getLong("gcId");
                        gcStarts.put(gcId, event.getStartTime());
                        if (event.getString("name").contains("Full")) {
                            collections.put(gcId, new Collection(event.getStartTime(), gcId, "full collection (" + event.getString("cause") + ")"));
                        }
                    }
                    case "jdk.EvacuationFailed" -> collections.putIfAbsent(event.getLong("gcId"),
                        new Collection(event.getStartTime(), event.getLong("gcId"), "evacuation failure"));
                    case "jdk.JVMInformation" -> jvmStart = Optional.of(event.getInstant("jvmStartTime"));
                    default -> { }
                }
            }
        }
        Instant start = jvmStart.orElseThrow(() -> new IllegalStateException("the recording has no jdk.JVMInformation event"));
        samples.sort(Comparator.comparing(Sample::at));
        System.out.printf("%,d allocation samples, %s allocated in all (estimated), %d collections to explain%n",
            samples.size(), megabytes(samples.stream().mapToLong(Sample::bytes).sum()), collections.size());
        for (Collection collection : collections.values()) {
            Instant at = gcStarts.getOrDefault(collection.gcId(), collection.at());
            List<Sample> before = samples.stream().filter(s -> !s.at().isAfter(at) && s.at().isAfter(at.minus(window))).toList();
            System.out.printf("%nGC(%d) %s at %.1f s uptime; in the %d s before it:%n", collection.gcId(), collection.what(),
                Duration.between(start, at).toMillis() / 1000.0, window.toSeconds());
            long product = before.stream().filter(Sample::product).mapToLong(Sample::bytes).sum();
            long all = before.stream().mapToLong(Sample::bytes).sum();
            System.out.printf("  %s allocated: %s by the product's code (%.0f %%), %s by James alone%n", megabytes(all),
                megabytes(product), all == 0 ? 0.0 : 100.0 * product / all, megabytes(all - product));
            System.out.println("  by thread:");
            top(before, Sample::thread, 8);
            System.out.println("  by place (the product's first frame and the allocating frame, else the allocating frame):");
            top(before, Sample::site, 10);
            List<Sample> large = humongous.stream().filter(s -> !s.at().isAfter(at) && s.at().isAfter(at.minus(window))).toList();
            if (!large.isEmpty()) { // recorded only with jdk.ObjectAllocationOutsideTLAB enabled
                System.out.printf("  objects of %d KB or more (humongous), %d of them:%n", HUMONGOUS / 1024, large.size());
                top(large, Sample::site, 10);
            }
        }
    }

    private static void top(List<Sample> samples, java.util.function.Function<Sample, String> key, int lines) {
        Map<String, long[]> sums = new HashMap<>();
        for (Sample sample : samples) {
            long[] sum = sums.computeIfAbsent(key.apply(sample), k -> new long[2]);
            sum[0] += sample.bytes();
            if (sample.product()) {
                sum[1] += sample.bytes();
            }
        }
        sums.entrySet().stream().sorted(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[0]).reversed()).limit(lines)
            .forEach(e -> System.out.printf("    %10s  (product %10s)  %s%n", megabytes(e.getValue()[0]), megabytes(e.getValue()[1]), e.getKey()));
    }

    private static Sample sample(RecordedEvent event, long bytes) {
        RecordedThread thread = event.getThread("eventThread");
        String name = thread == null || thread.getJavaName() == null ? "(no thread)" : thread.getJavaName().replaceAll("\\d+", "#");
        List<RecordedFrame> frames = event.getStackTrace() == null ? List.of() : event.getStackTrace().getFrames();
        Optional<RecordedFrame> productFrame = frames.stream().filter(frame -> frame.getMethod().getType().getName().startsWith(PRODUCT)).findFirst();
        String allocating = frames.isEmpty() ? "(no stack)" : name(frames.get(0));
        String site = productFrame.map(frame -> name(frame) + " -> " + allocating).orElse(allocating);
        return new Sample(event.getStartTime(), name, bytes, productFrame.isPresent(), site);
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static String megabytes(long bytes) {
        return String.format("%.1f MB", bytes / 1024.0 / 1024.0);
    }
}
