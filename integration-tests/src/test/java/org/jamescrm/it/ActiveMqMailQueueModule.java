package org.jamescrm.it;

import javax.inject.Singleton;

import org.apache.activemq.store.PersistenceAdapter;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;
import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.queue.activemq.ActiveMQMailQueueFactory;
import org.apache.james.queue.activemq.EmbeddedActiveMQ;
import org.apache.james.queue.activemq.metric.ActiveMQMetricCollector;
import org.apache.james.queue.activemq.metric.ActiveMQMetricCollectorNoop;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.MailQueueItemDecoratorFactory;
import org.apache.james.queue.api.ManageableMailQueue;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Scopes;

/**
 * James's ActiveMQ mail queue in place of the memory server's: the queue a single-server production
 * James (the Spring and JPA apps) runs. James's own embedded broker keeps its messages in a KahaDB
 * store under the working directory ({@code var/store/activemq}), so whatever was queued — the spool,
 * outgoing mail, the capture queue — is there again when James starts on the same folder.
 *
 * <p>Overrides the three {@link MailQueueFactory} bindings of the memory server's queue module, as
 * James's own {@code ActiveMQQueueModule} provides them; the broker statistics and the queues' MBeans are left out.
 */
final class ActiveMqMailQueueModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(PersistenceAdapter.class).to(KahaDBPersistenceAdapter.class);
        bind(KahaDBPersistenceAdapter.class).in(Scopes.SINGLETON);
        bind(EmbeddedActiveMQ.class).in(Scopes.SINGLETON);
        bind(ActiveMQMetricCollector.class).to(ActiveMQMetricCollectorNoop.class);
    }

    @Provides
    @Singleton
    ActiveMQMailQueueFactory activeMqQueues(EmbeddedActiveMQ broker, MailQueueItemDecoratorFactory decorators, MetricFactory metrics,
                                            GaugeRegistry gauges, ActiveMQMetricCollector statistics) {
        ActiveMQMailQueueFactory queues = new ActiveMQMailQueueFactory(broker, decorators, metrics, gauges, statistics);
        queues.setUseJMX(false); // a restart in the same JVM would register the queues' MBeans twice
        queues.init();
        return queues;
    }

    @Provides
    @Singleton
    MailQueueFactory<? extends ManageableMailQueue> manageableQueues(ActiveMQMailQueueFactory queues) {
        return queues;
    }

    @Provides
    @Singleton
    MailQueueFactory<?> queues(ActiveMQMailQueueFactory queues) {
        return queues;
    }

    @Provides
    @Singleton
    MailQueueFactory<? extends MailQueue> genericQueues(ActiveMQMailQueueFactory queues) {
        return queues;
    }
}
