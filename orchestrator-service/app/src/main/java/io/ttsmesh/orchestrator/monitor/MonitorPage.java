package io.ttsmesh.orchestrator.monitor;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** The page itself is static (META-INF/resources/monitor/); {@code /monitor} without the slash leads to it. */
@ApplicationScoped
public class MonitorPage {

    void route(@Observes Router router) {
        // Vert.x matches "/monitor/" here too: only the bare path is redirected.
        router.get("/monitor").handler(rc -> {
            if (rc.request().path().equals("/monitor")) {
                rc.redirect("/monitor/");
            } else {
                rc.next();
            }
        });
    }
}
