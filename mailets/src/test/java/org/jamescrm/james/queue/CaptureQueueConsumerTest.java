package org.jamescrm.james.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueName;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The consumer acts on each attempt's outcome: done, retry with the configured delay, or park. */
class CaptureQueueConsumerTest {
    static final CaptureQueueConfiguration CONFIGURATION = new CaptureQueueConfiguration(MailQueueName.of("crm-capture"), 2,
        List.of(Duration.ofSeconds(5), Duration.ofMinutes(2)), MailRepositoryUrl.from("memory://var/mail/crm-capture-error/"), 1, 200, Duration.ofMillis(500),
        5, Duration.ofSeconds(30), 2000);

    MailQueue queue = mock(MailQueue.class);
    CaptureDeliverer deliverer = mock(CaptureDeliverer.class);
    CaptureParker parker = mock(CaptureParker.class);
    MailQueue.MailQueueItem item = mock(MailQueue.MailQueueItem.class);
    Mail mail;
    CaptureQueueConsumer consumer = new CaptureQueueConsumer(queue, deliverer, parker, CONFIGURATION);

    @BeforeEach
    void setUp() throws Exception {
        mail = FakeMail.builder().name("capture-1").build();
        when(item.getMail()).thenReturn(mail);
    }

    @Test
    void anUnavailableCrmShouldBeRetriedAfterTheFirstDelay() throws Exception {
        consumer.complete(item, new CaptureOutcome.RetryLater("CRM down", Optional.empty()));

        verify(queue).enQueue(mail, Duration.ofSeconds(5));
        assertThat(CaptureAttributes.attempts(mail)).isEqualTo(1);
        verify(item).done(MailQueue.MailQueueItem.CompletionStatus.SUCCESS);
        verify(parker, never()).park(any(), any(), org.mockito.ArgumentMatchers.anyInt());
    }

    @Test
    void theLastDelayShouldRepeat() throws Exception {
        CaptureAttributes.setAttempts(mail, 1);
        consumer.complete(item, new CaptureOutcome.RetryLater("CRM down", Optional.empty()));

        verify(queue).enQueue(mail, Duration.ofMinutes(2));
        assertThat(CaptureAttributes.attempts(mail)).isEqualTo(2);
    }

    @Test
    void aRateLimitRefusalShouldWaitForTheCrmsHintWithoutSpendingARetry() throws Exception {
        CaptureAttributes.setAttempts(mail, 1);
        consumer.complete(item, new CaptureOutcome.RetryLater("Bitrix24 answered 503 QUERY_LIMIT_EXCEEDED", Optional.of(Duration.ofSeconds(2))));

        verify(queue).enQueue(mail, Duration.ofSeconds(2));
        assertThat(CaptureAttributes.attempts(mail)).isEqualTo(1);
        assertThat(CaptureAttributes.dueAt(mail)).isPresent();
    }

    @Test
    void aRateLimitRefusalShouldNeverParkEvenWithTheRetriesUsedUp() throws Exception {
        CaptureAttributes.setAttempts(mail, 2);
        consumer.complete(item, new CaptureOutcome.RetryLater("rate limited", Optional.of(Duration.ofSeconds(1))));

        verify(parker, never()).park(any(), any(), org.mockito.ArgumentMatchers.anyInt());
        verify(queue).enQueue(mail, Duration.ofSeconds(1));
    }

    @Test
    void aFailureWhileTheBreakerIsOpenShouldWaitWithoutSpendingARetry() throws Exception {
        org.jamescrm.capture.CrmBreaker breaker = new org.jamescrm.capture.CrmBreaker("crm", 1, Duration.ofSeconds(30), java.time.Clock.systemUTC());
        CaptureQueueConsumer guarded = new CaptureQueueConsumer(queue, deliverer, parker, CONFIGURATION,
            org.jamescrm.capture.CaptureMetrics.NONE, breaker, java.time.Clock.systemUTC());
        CaptureAttributes.setAttempts(mail, 2);
        breaker.failed();

        guarded.complete(item, new CaptureOutcome.RetryLater("CRM down", Optional.empty()));

        org.mockito.ArgumentCaptor<Duration> wait = org.mockito.ArgumentCaptor.forClass(Duration.class);
        verify(queue).enQueue(eq(mail), wait.capture());
        assertThat(wait.getValue()).isBetween(Duration.ofSeconds(29), Duration.ofSeconds(30)); // until the next probe
        assertThat(CaptureAttributes.attempts(mail)).isEqualTo(2);
        verify(parker, never()).park(any(), any(), org.mockito.ArgumentMatchers.anyInt());
    }

    @Test
    void aCaptureShouldBeParkedWhenTheRetriesAreUsedUp() throws Exception {
        CaptureAttributes.setAttempts(mail, 2);
        consumer.complete(item, new CaptureOutcome.RetryLater("CRM down", Optional.empty()));

        verify(parker).park(mail, "the CRM stayed unavailable after 2 retries: CRM down", 3);
        verify(queue, never()).enQueue(any(), any(Duration.class));
        verify(item).done(MailQueue.MailQueueItem.CompletionStatus.SUCCESS);
    }

    @Test
    void aRejectedCaptureShouldBeParkedAtOnce() throws Exception {
        consumer.complete(item, new CaptureOutcome.Rejected("the CRM refused the capture: ACCESS_DENIED"));

        verify(parker).park(mail, "the CRM refused the capture: ACCESS_DENIED", 1);
        verify(queue, never()).enQueue(any(), any(Duration.class));
    }

    @Test
    void aFailureToParkShouldHandTheItemBackToTheQueue() throws Exception {
                org.mockito.Mockito.doThrow(new jakarta.mail.MessagingException("repository down")).when(parker).park(eq(mail), any(), org.mockito.ArgumentMatchers.anyInt());

        consumer.complete(item, new CaptureOutcome.Rejected("bad"));

        verify(item).done(MailQueue.MailQueueItem.CompletionStatus.RETRY);
    }
}
