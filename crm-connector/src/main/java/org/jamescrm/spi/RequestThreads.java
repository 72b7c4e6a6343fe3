package org.jamescrm.spi;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads a connector sends requests on at once (a round's independent lookups, several plans), as many
 * as its CRM allows in flight, none kept while idle between rounds; and the waiting for such parts, where
 * the first failure is the round's only once every part has ended, so no request of a failed round is
 * left in flight. Daemon threads: they never keep James from stopping.
 */
public final class RequestThreads implements Executor {
    private final ThreadPoolExecutor executor;

    /**
     * @param prefix  the start of the threads' names, e.g. {@code zoho-round-}
     * @param threads how many at most
     */
    public RequestThreads(String prefix, int threads) {
        AtomicInteger count = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        executor.allowCoreThreadTimeOut(true);
    }

    /** A part of a round that may fail with the CRM's answer. */
    public interface Part<T> {
        T get() throws CrmException;
    }

    @Override
    public void execute(Runnable command) {
        executor.execute(command);
    }

    /** Runs {@code part} on one of these threads; its {@link CrmException} completes the future exceptionally. */
    public <T> CompletableFuture<T> async(Part<T> part) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return part.get();
            } catch (CrmException e) {
                throw new CompletionException(e);
            }
        }, executor);
    }

    /** Waits until every part has ended, failed or not. */
    public static void awaitAll(List<? extends CompletableFuture<?>> all) {
        try {
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException failed) {
            // answered by join: the first failure is the round's
        }
    }

    /** The value of an ended part, or its failure as thrown: a {@link CrmException} as itself. */
    public static <T> T join(CompletableFuture<T> part) throws CrmException {
        try {
            return part.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof CrmException crm) {
                throw crm;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }
}
