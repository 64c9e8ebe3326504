package org.edgenn.dsl.validation;

/**
 * One code per validation rule. Diagnostics carry them so that tests can name the rule and quick
 * fixes can find the problem they mend.
 */
public final class IssueCodes {
    private static final String PREFIX = "org.edgenn.dsl.";

    // names and references
    public static final String DUPLICATE_NAME = PREFIX + "duplicateName";
    public static final String MISSING_IMPORT = PREFIX + "missingImport";
    public static final String USED_BEFORE_DEFINED = PREFIX + "usedBeforeDefined";
    public static final String UNUSED = PREFIX + "unused";
    public static final String WRONG_KIND_OF_SYMBOL = PREFIX + "wrongKindOfSymbol";
    public static final String LAYER_NOT_CALLED = PREFIX + "layerNotCalled";
    public static final String NOT_CALLABLE = PREFIX + "notCallable";
    public static final String MISSING_INDEX = PREFIX + "missingIndex";
    public static final String UNEXPECTED_INDEX = PREFIX + "unexpectedIndex";
    public static final String INDEX_OUT_OF_RANGE = PREFIX + "indexOutOfRange";
    public static final String LABEL_OUTSIDE_LOSS = PREFIX + "labelOutsideLoss";
    public static final String LOSS_OUTSIDE_LOSS = PREFIX + "lossOutsideLoss";
    public static final String LOSS_NOT_SCALAR = PREFIX + "lossNotScalar";
    public static final String NO_OUTPUT = PREFIX + "noOutput";
    public static final String TEACHER_CYCLE = PREFIX + "teacherCycle";
    public static final String TEACHER_INPUTS = PREFIX + "teacherInputs";

    // ops and shapes
    public static final String SHAPE_MISMATCH = PREFIX + "shapeMismatch";
    public static final String BAD_ARGUMENTS = PREFIX + "badArguments";
    /** An op keyword of the grammar without an entry in the OpCatalog (a build defect, never silent). */
    public static final String UNKNOWN_OP = PREFIX + "unknownOp";
    public static final String UNKNOWN_ATTRIBUTE = PREFIX + "unknownAttribute";
    public static final String BAD_ATTRIBUTE = PREFIX + "badAttribute";
    public static final String MISSING_ATTRIBUTE = PREFIX + "missingAttribute";
    public static final String DUPLICATE_ATTRIBUTE = PREFIX + "duplicateAttribute";
    public static final String STATE_SHAPE = PREFIX + "stateShape";
    public static final String BAD_COUNT = PREFIX + "badCount";
    public static final String UNROLL_COUNT_MISMATCH = PREFIX + "unrollCountMismatch";

    // accelerators
    public static final String UNKNOWN_UNIT = PREFIX + "unknownUnit";
    public static final String MISSING_MAC = PREFIX + "missingMac";
    public static final String MISSING_CLOCK = PREFIX + "missingClock";
    public static final String DUPLICATE_SPEC = PREFIX + "duplicateSpec";
    public static final String BAD_ARRAY = PREFIX + "badArray";
    public static final String UNKNOWN_LOOP_DIM = PREFIX + "unknownLoopDim";
    public static final String UNKNOWN_OPERAND = PREFIX + "unknownOperand";
    public static final String BAD_MEMORY = PREFIX + "badMemory";
    public static final String BAD_AREA = PREFIX + "badArea";
    public static final String BAD_SPARSE_SUPPORT = PREFIX + "badSparseSupport";

    // compression and budgets
    public static final String BUDGET_EXCEEDED = PREFIX + "budgetExceeded";
    public static final String BUDGET_NEEDS_TARGET = PREFIX + "budgetNeedsTarget";
    public static final String BAD_PRECISION = PREFIX + "badPrecision";
    public static final String BAD_PRUNING = PREFIX + "badPruning";
    public static final String UNKNOWN_PRUNE_KIND = PREFIX + "unknownPruneKind";
    public static final String BAD_NM = PREFIX + "badNm";
    public static final String SPARSITY_UNSUPPORTED = PREFIX + "sparsityUnsupported";
    public static final String DUPLICATE_QUANTIZATION = PREFIX + "duplicateQuantization";
    /** An override ({@code weights int4 on X}) whose X owns no weights, or names no value. */
    public static final String BAD_QUANT_TARGET = PREFIX + "badQuantTarget";
    /** A width the target accelerator's MACs cannot execute (wider than its operands). */
    public static final String UNSUPPORTED_PRECISION = PREFIX + "unsupportedPrecision";

    // training
    public static final String BAD_TRAINING = PREFIX + "badTraining";
    public static final String UNKNOWN_DATA_SOURCE = PREFIX + "unknownDataSource";
    public static final String BAD_BINDING = PREFIX + "badBinding";
    /** A file named as values (a known operator, a held-out set) that is missing, malformed, non-finite or of the wrong shape. */
    public static final String BAD_DATA_FILE = PREFIX + "badDataFile";
    public static final String UNKNOWN_OPTIMIZER = PREFIX + "unknownOptimizer";
    public static final String UNKNOWN_INITIALIZER = PREFIX + "unknownInitializer";
    public static final String BAD_CURRICULUM = PREFIX + "badCurriculum";
    public static final String UNKNOWN_SCHEDULE = PREFIX + "unknownSchedule";

    // arguments of the training vocabulary (data sources, optimizers, schedules, initializers)
    public static final String UNKNOWN_ARGUMENT = PREFIX + "unknownArgument";
    public static final String BAD_ARGUMENT_TYPE = PREFIX + "badArgumentType";
    public static final String ARGUMENT_OUT_OF_RANGE = PREFIX + "argumentOutOfRange";
    public static final String MISSING_ARGUMENT = PREFIX + "missingArgument";

    // parameters and exploration
    public static final String DUPLICATE_PARAMETER = PREFIX + "duplicateParameter";
    public static final String BAD_DOMAIN = PREFIX + "badDomain";
    public static final String UNKNOWN_PARAMETER = PREFIX + "unknownParameter";
    public static final String BAD_PARAMETER_USE = PREFIX + "badParameterUse";
    public static final String UNUSED_PARAMETER = PREFIX + "unusedParameter";
    public static final String EMPTY_SPACE = PREFIX + "emptySpace";
    public static final String BAD_EXPLORE = PREFIX + "badExplore";
    public static final String UNKNOWN_OBJECTIVE = PREFIX + "unknownObjective";
    public static final String BAD_STRATEGY = PREFIX + "badStrategy";
    public static final String BAD_EXPLORE_TRAINING = PREFIX + "badExploreTraining";
    public static final String NO_AREA = PREFIX + "noArea";

    private IssueCodes() {
    }
}
