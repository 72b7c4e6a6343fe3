package org.jamescrm.james.queue;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import jakarta.mail.MessagingException;

import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.mailet.Mail;
import org.jamescrm.capture.CaptureRequest;
import org.jamescrm.capture.CaptureRounds;
import org.jamescrm.capture.FollowUp;
import org.jamescrm.decisions.DecisionRecord;
import org.jamescrm.rules.Direction;
import org.jamescrm.mime.MessageParser;
import org.jamescrm.model.ParseScope;
import org.jamescrm.model.MessageFacts;
import org.jamescrm.rules.Classification;
import org.jamescrm.spi.CrmException;
import org.jamescrm.spi.CrmUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one capture attempt for a mail of the capture queue: parses the message and hands it to
 * the next capture round. Never fails: every failure becomes an outcome the consumer acts on.
 *
 * <p>The message streams from the mail into the parser, read once: James's own message straight from
 * its stored source (its file, for a large mail), a message of another kind through one buffer when
 * small and a temporary file when large, never as several copies in the heap; the parser does what
 * the mailbox's settings store and no more (no attachment over the limit, no HTML for the
 * {@code text} and {@code headers} body modes).
 */
public class CaptureDeliverer {
    private static final Logger LOGGER = LoggerFactory.getLogger(CaptureDeliverer.class);

    private final CaptureRounds rounds;
    private final ManualSaves manualSaves;
    /** Messages larger than this go to the parser through a temporary file, not the heap. */
    static final long SPILL_BYTES = 1024 * 1024;

    private final MessageParser parser = new MessageParser();

    /**
     * @param rounds      the capture rounds
     * @param manualSaves resolves what an employee asked to save by writing to the capture address
     */
    public CaptureDeliverer(CaptureRounds rounds, ManualSaves manualSaves) {
        this.rounds = rounds;
        this.manualSaves = manualSaves;
    }

    /** One attempt; the outcome arrives when the capture's round has run. */
    public CompletableFuture<CaptureOutcome> deliver(Mail mail) {
        CaptureRequest asked;
        CaptureRequest saved;
        try {
            Classification classification = CaptureAttributes.classification(mail);
            MessageFacts facts;
            ParseScope scope = classification.parseScope(manualSaves.settings());
            Optional<String> copyOf = CaptureAttributes.copyOf(mail);
            try (InputStream content = content(mail)) {
                // a large mail's copy left out what the capture does not store (LargeMailCopies): listed, not read
                facts = copyOf.isPresent() ? parser.parseCopy(content, scope, copyOf.get()) : parser.parse(content, scope);
            }
            // the raw message, read again only if a connector imports it whole (EspoCRM's importEml): the
            // capture service offers it only when the activity keeps all of it, within the mailbox's limits
            asked = new CaptureRequest(facts, classification, CaptureAttributes.receivedAt(mail), Optional.of(() -> rawMessage(mail)));
            saved = asked.classification().direction() == Direction.MANUAL_FORWARD ? manualSaves.resolve(asked) : asked;
        } catch (MessagingException | IOException e) {
            return CompletableFuture.completedFuture(new CaptureOutcome.Rejected("the message cannot be read: " + e));
        } catch (RuntimeException | StackOverflowError e) {
            // a defect of ours must not lose the capture either: park it with the cause for replay. A stack
            // overflow is a message built deeper than some reading of it allows: it unwinds to here, costs
            // this mail only, and must not reach the queue's consumer, which would give the capture up
            return CompletableFuture.completedFuture(new CaptureOutcome.Rejected("unexpected error: " + e));
        }
        return rounds.submit(saved).handle((decision, error) -> error == null ? decided(asked, saved, decision) : failed(error));
    }

    /** Carries out the follow-up the core's capture policy decided. */
    private CaptureOutcome decided(CaptureRequest asked, CaptureRequest saved, DecisionRecord decision) {
        FollowUp followUp = FollowUp.after(asked, saved, decision);
        if (followUp instanceof FollowUp.Park park) {
            return new CaptureOutcome.Rejected(park.reason()); // parked for review, not captured
        }
        if (followUp instanceof FollowUp.AnswerEmployee answer) {
            try {
                manualSaves.answer(answer);
            } catch (MessagingException | RuntimeException e) {
                // decided all the same: the answer to the employee is a courtesy, the decision is recorded
                LOGGER.warn("Cannot answer {} that the manual save of '{}' was refused", answer.employee(), answer.subject(), e);
            }
        }
        return new CaptureOutcome.Decided(decision);
    }

    private static CaptureOutcome failed(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof CrmUnavailableException unavailable) {
            return new CaptureOutcome.RetryLater(unavailable.getMessage(), unavailable.retryAfter());
        }
        if (cause instanceof CrmException) {
            return new CaptureOutcome.Rejected("the CRM refused the capture: " + cause.getMessage());
        }
        return new CaptureOutcome.Rejected("unexpected error: " + cause);
    }

    /** The whole message as received, for a connector that imports it; the mail is still held by its queue item. */
    private static byte[] rawMessage(Mail mail) {
        try (InputStream content = content(mail)) {
            return content.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("the message cannot be read again for its import", e);
        } catch (MessagingException e) {
            throw new IllegalStateException("the message cannot be read again for its import: " + e.getMessage(), e);
        }
    }

    private static InputStream content(Mail mail) throws MessagingException, IOException {
        if (mail.getMessage() instanceof MimeMessageWrapper wrapper) {
            // the bytes James stored, as they are: writing the message out would parse its headers again and copy it
            return wrapper.getMessageInputStream();
        }
        long size = LargeMailCopies.sizeOf(mail);
        if (size <= SPILL_BYTES) {
            Buffer buffer = new Buffer((int) (size + size / 8 + 1024)); // room for what the size leaves out, so it seldom grows
            mail.getMessage().writeTo(buffer);
            return buffer.contents();
        }
        Path file = Files.createTempFile("crm-capture-", ".eml");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            mail.getMessage().writeTo(out);
        } catch (IOException | MessagingException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return new BufferedInputStream(Files.newInputStream(file, StandardOpenOption.DELETE_ON_CLOSE));
    }

    /** A buffer read back without copying it. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer(int size) {
            super(size);
        }

        InputStream contents() {
            return new ByteArrayInputStream(buf, 0, count);
        }
    }
}
