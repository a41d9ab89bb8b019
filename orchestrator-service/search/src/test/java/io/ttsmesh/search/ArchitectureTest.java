package io.ttsmesh.search;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.ttsmesh.search.tree.Policy;
import io.ttsmesh.search.tree.SearchTree;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The search module's packages form no cycle: the tree knows no policy or strategy, policies and strategies know
 * the tree, the runner knows them all. The root package holds the module's vocabulary (request, settings, result)
 * beside the runner; the feature packages may use the vocabulary, never the runner.
 */
class ArchitectureTest {

    private static final JavaClasses SEARCH = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("io.ttsmesh.search");

    static final ArchRule NO_PACKAGE_CYCLE = slices().matching("io.ttsmesh.search.(*)..")
            .should().beFreeOfCycles();

    static final ArchRule FEATURES_DO_NOT_USE_THE_RUNNER = noClasses()
            .that().resideInAPackage("io.ttsmesh.search.(*)..")
            .should().dependOnClassesThat().haveSimpleNameStartingWith("SearchRun")
            .orShould().dependOnClassesThat().haveSimpleName("RequestValidation")
            .orShould().dependOnClassesThat().haveSimpleName("PreparedSearch")
            .orShould().dependOnClassesThat().haveSimpleName("ServedTask");

    static final ArchRule POLICIES_SEE_ONLY_THEIR_CONTEXTS = noClasses().that().implement(Policy.class)
            .should().dependOnClassesThat().areAssignableTo(SearchTree.class)
            .because("a policy's hooks get typed contexts (Decisions, CheckpointActions, StepExpansion.Draws), not the tree");

    @Test
    void thePackagesFormNoCycle() {
        NO_PACKAGE_CYCLE.check(SEARCH);
    }

    @Test
    void featurePackagesDoNotUseTheRunner() {
        FEATURES_DO_NOT_USE_THE_RUNNER.check(SEARCH);
    }

    @Test
    void policiesCompileAgainstTheirContextsOnly() {
        POLICIES_SEE_ONLY_THEIR_CONTEXTS.check(SEARCH);
    }

    @Test
    void theCycleRuleSeesACycle() {
        JavaClasses cyclic = new ClassFileImporter().importClasses(
                io.ttsmesh.search.architecture.a.UsesB.class, io.ttsmesh.search.architecture.b.UsesA.class);
        EvaluationResult result = slices().matching("io.ttsmesh.search.architecture.(*)..").should().beFreeOfCycles()
                .evaluate(cyclic);
        assertThat(result.hasViolation()).isTrue();
    }
}
