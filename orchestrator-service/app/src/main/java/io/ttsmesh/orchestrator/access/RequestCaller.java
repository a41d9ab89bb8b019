package io.ttsmesh.orchestrator.access;

import jakarta.enterprise.context.RequestScoped;

/** The caller of the current HTTP request, as {@link ApiKeyFilter} found it. */
@RequestScoped
public class RequestCaller {

    private Caller caller = Caller.UNRESTRICTED;

    public Caller get() {
        return caller;
    }

    void set(Caller caller) {
        this.caller = caller;
    }
}
