export namespace view {
	
	export class AccountView {
	    id: string;
	    connectionId: string;
	    providerId: string;
	    kind: string;
	    type?: string;
	    displayName: string;
	    currency: string;
	    current?: string;
	    available?: string;
	    sortCode?: string;
	    number?: string;
	    iban?: string;
	    partialCardNumber?: string;
	    balanceUpdatedAt?: string;
	    historyFrom?: string;
	    historyLimited?: boolean;
	    lastSyncedAt?: string;
	
	    static createFrom(source: any = {}) {
	        return new AccountView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.connectionId = source["connectionId"];
	        this.providerId = source["providerId"];
	        this.kind = source["kind"];
	        this.type = source["type"];
	        this.displayName = source["displayName"];
	        this.currency = source["currency"];
	        this.current = source["current"];
	        this.available = source["available"];
	        this.sortCode = source["sortCode"];
	        this.number = source["number"];
	        this.iban = source["iban"];
	        this.partialCardNumber = source["partialCardNumber"];
	        this.balanceUpdatedAt = source["balanceUpdatedAt"];
	        this.historyFrom = source["historyFrom"];
	        this.historyLimited = source["historyLimited"];
	        this.lastSyncedAt = source["lastSyncedAt"];
	    }
	}
	export class Bank {
	    id: string;
	    name: string;
	    logoUrl: string;
	    country: string;
	    scopes: string[];
	
	    static createFrom(source: any = {}) {
	        return new Bank(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.logoUrl = source["logoUrl"];
	        this.country = source["country"];
	        this.scopes = source["scopes"];
	    }
	}
	export class Category {
	    name: string;
	    currency: string;
	    out: string;
	    count: number;
	
	    static createFrom(source: any = {}) {
	        return new Category(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.currency = source["currency"];
	        this.out = source["out"];
	        this.count = source["count"];
	    }
	}
	export class ConnectFailed {
	    kind: string;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new ConnectFailed(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.message = source["message"];
	    }
	}
	export class ConnectStart {
	    expiresAt: string;
	
	    static createFrom(source: any = {}) {
	        return new ConnectStart(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.expiresAt = source["expiresAt"];
	    }
	}
	export class Connected {
	    connectionId: string;
	    providerId: string;
	    accounts: number;
	    cards: number;
	    warnings: string[];
	    unmatched: string[];
	    missing: string[];
	    unfinished: boolean;
	    existing: boolean;
	    notes: string[];
	
	    static createFrom(source: any = {}) {
	        return new Connected(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.connectionId = source["connectionId"];
	        this.providerId = source["providerId"];
	        this.accounts = source["accounts"];
	        this.cards = source["cards"];
	        this.warnings = source["warnings"];
	        this.unmatched = source["unmatched"];
	        this.missing = source["missing"];
	        this.unfinished = source["unfinished"];
	        this.existing = source["existing"];
	        this.notes = source["notes"];
	    }
	}
	export class ConnectionView {
	    id: string;
	    providerId: string;
	    providerName: string;
	    status: string;
	    consentCreatedAt: string;
	    consentExpiresAt: string;
	    refreshDeadline: string;
	    daysLeft: number;
	    lastSyncedAt?: string;
	    scopes: string[];
	    accounts: number;
	    unfinished: boolean;
	    historyFrom?: string;
	    historyLimited: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ConnectionView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.providerId = source["providerId"];
	        this.providerName = source["providerName"];
	        this.status = source["status"];
	        this.consentCreatedAt = source["consentCreatedAt"];
	        this.consentExpiresAt = source["consentExpiresAt"];
	        this.refreshDeadline = source["refreshDeadline"];
	        this.daysLeft = source["daysLeft"];
	        this.lastSyncedAt = source["lastSyncedAt"];
	        this.scopes = source["scopes"];
	        this.accounts = source["accounts"];
	        this.unfinished = source["unfinished"];
	        this.historyFrom = source["historyFrom"];
	        this.historyLimited = source["historyLimited"];
	    }
	}
	export class ConsentView {
	    connectionId: string;
	    providerId: string;
	    providerName: string;
	    consentCreatedAt: string;
	    consentExpiresAt: string;
	    refreshIdleDeadline: string;
	    daysLeft: number;
	    status: string;
	    headline: string;
	    headlineDeadline: string;
	    headlineDaysLeft: number;
	
	    static createFrom(source: any = {}) {
	        return new ConsentView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.connectionId = source["connectionId"];
	        this.providerId = source["providerId"];
	        this.providerName = source["providerName"];
	        this.consentCreatedAt = source["consentCreatedAt"];
	        this.consentExpiresAt = source["consentExpiresAt"];
	        this.refreshIdleDeadline = source["refreshIdleDeadline"];
	        this.daysLeft = source["daysLeft"];
	        this.status = source["status"];
	        this.headline = source["headline"];
	        this.headlineDeadline = source["headlineDeadline"];
	        this.headlineDaysLeft = source["headlineDaysLeft"];
	    }
	}
	export class ContactRules {
	    minNameWords: number;
	    emailPattern: string;
	    phonePattern: string;
	
	    static createFrom(source: any = {}) {
	        return new ContactRules(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.minNameWords = source["minNameWords"];
	        this.emailPattern = source["emailPattern"];
	        this.phonePattern = source["phonePattern"];
	    }
	}
	export class EnvironmentChoice {
	    env: string;
	    clientId: string;
	    clientSecret: string;
	    redirectUri: string;
	    syncIntervalMinutes: number;
	
	    static createFrom(source: any = {}) {
	        return new EnvironmentChoice(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.env = source["env"];
	        this.clientId = source["clientId"];
	        this.clientSecret = source["clientSecret"];
	        this.redirectUri = source["redirectUri"];
	        this.syncIntervalMinutes = source["syncIntervalMinutes"];
	    }
	}
	export class ReminderView {
	    connectionId: string;
	    providerName: string;
	    kind: string;
	    step: number;
	    daysLeft: number;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new ReminderView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.connectionId = source["connectionId"];
	        this.providerName = source["providerName"];
	        this.kind = source["kind"];
	        this.step = source["step"];
	        this.daysLeft = source["daysLeft"];
	        this.message = source["message"];
	    }
	}
	export class SyncAccount {
	    accountId: string;
	    name: string;
	    added: number;
	    updated: number;
	    removed: number;
	    historyFrom?: string;
	    historyLimited: boolean;
	    error?: string;
	
	    static createFrom(source: any = {}) {
	        return new SyncAccount(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.accountId = source["accountId"];
	        this.name = source["name"];
	        this.added = source["added"];
	        this.updated = source["updated"];
	        this.removed = source["removed"];
	        this.historyFrom = source["historyFrom"];
	        this.historyLimited = source["historyLimited"];
	        this.error = source["error"];
	    }
	}
	export class SyncDone {
	    connectionId: string;
	    ok: boolean;
	    error?: string;
	    accounts: SyncAccount[];
	
	    static createFrom(source: any = {}) {
	        return new SyncDone(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.connectionId = source["connectionId"];
	        this.ok = source["ok"];
	        this.error = source["error"];
	        this.accounts = this.convertValues(source["accounts"], SyncAccount);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SyncProgress {
	    connectionId: string;
	    accountId: string;
	    accountName: string;
	    phase: string;
	    window: number;
	    windows: number;
	    windowFrom?: string;
	    windowTo?: string;
	    added: number;
	    total: number;
	    message?: string;
	    deepHistoryUntil?: string;
	
	    static createFrom(source: any = {}) {
	        return new SyncProgress(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.connectionId = source["connectionId"];
	        this.accountId = source["accountId"];
	        this.accountName = source["accountName"];
	        this.phase = source["phase"];
	        this.window = source["window"];
	        this.windows = source["windows"];
	        this.windowFrom = source["windowFrom"];
	        this.windowTo = source["windowTo"];
	        this.added = source["added"];
	        this.total = source["total"];
	        this.message = source["message"];
	        this.deepHistoryUntil = source["deepHistoryUntil"];
	    }
	}
	export class EventPayloads {
	    syncProgress: SyncProgress;
	    syncDone: SyncDone;
	    reminder: ReminderView;
	    connected: Connected;
	    connectFailed: ConnectFailed;
	
	    static createFrom(source: any = {}) {
	        return new EventPayloads(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.syncProgress = this.convertValues(source["syncProgress"], SyncProgress);
	        this.syncDone = this.convertValues(source["syncDone"], SyncDone);
	        this.reminder = this.convertValues(source["reminder"], ReminderView);
	        this.connected = this.convertValues(source["connected"], Connected);
	        this.connectFailed = this.convertValues(source["connectFailed"], ConnectFailed);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ExportDone {
	    path: string;
	    rows: number;
	
	    static createFrom(source: any = {}) {
	        return new ExportDone(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.rows = source["rows"];
	    }
	}
	export class ExportRequest {
	    format: string;
	    accountIds: string[];
	    from: string;
	    to: string;
	    includePending: boolean;
	    semicolon: boolean;
	    excel: boolean;
	    raw: boolean;
	    flattenNewlines: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ExportRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.format = source["format"];
	        this.accountIds = source["accountIds"];
	        this.from = source["from"];
	        this.to = source["to"];
	        this.includePending = source["includePending"];
	        this.semicolon = source["semicolon"];
	        this.excel = source["excel"];
	        this.raw = source["raw"];
	        this.flattenNewlines = source["flattenNewlines"];
	    }
	}
	export class ExtendResult {
	    extended: boolean;
	    atBank: boolean;
	    fallback: boolean;
	    message: string;
	    newExpiry: string;
	
	    static createFrom(source: any = {}) {
	        return new ExtendResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.extended = source["extended"];
	        this.atBank = source["atBank"];
	        this.fallback = source["fallback"];
	        this.message = source["message"];
	        this.newExpiry = source["newExpiry"];
	    }
	}
	export class Month {
	    month: string;
	    currency: string;
	    in: string;
	    out: string;
	
	    static createFrom(source: any = {}) {
	        return new Month(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.month = source["month"];
	        this.currency = source["currency"];
	        this.in = source["in"];
	        this.out = source["out"];
	    }
	}
	export class ReconfirmRequest {
	    connectionId: string;
	    name: string;
	    email: string;
	    phone: string;
	    confirmed: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ReconfirmRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.connectionId = source["connectionId"];
	        this.name = source["name"];
	        this.email = source["email"];
	        this.phone = source["phone"];
	        this.confirmed = source["confirmed"];
	    }
	}
	
	export class RepairView {
	    lines: string[];
	    lost: number;
	
	    static createFrom(source: any = {}) {
	        return new RepairView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.lines = source["lines"];
	        this.lost = source["lost"];
	    }
	}
	export class Rules {
	    consentDays: number;
	    expiringWithinDays: number;
	    reminderDays: number[];
	    minPassphraseLength: number;
	    defaultSyncIntervalMinutes: number;
	    minSyncIntervalMinutes: number;
	    unattendedCallsPerDay: number;
	    snoozeMaxDays: number;
	    contact: ContactRules;
	
	    static createFrom(source: any = {}) {
	        return new Rules(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.consentDays = source["consentDays"];
	        this.expiringWithinDays = source["expiringWithinDays"];
	        this.reminderDays = source["reminderDays"];
	        this.minPassphraseLength = source["minPassphraseLength"];
	        this.defaultSyncIntervalMinutes = source["defaultSyncIntervalMinutes"];
	        this.minSyncIntervalMinutes = source["minSyncIntervalMinutes"];
	        this.unattendedCallsPerDay = source["unattendedCallsPerDay"];
	        this.snoozeMaxDays = source["snoozeMaxDays"];
	        this.contact = this.convertValues(source["contact"], ContactRules);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SettingsView {
	    env: string;
	    redirectUri: string;
	    sandboxClientId: string;
	    liveClientId: string;
	    fromEnvironment: boolean;
	    restartToApply: boolean;
	    syncIntervalMinutes: number;
	
	    static createFrom(source: any = {}) {
	        return new SettingsView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.env = source["env"];
	        this.redirectUri = source["redirectUri"];
	        this.sandboxClientId = source["sandboxClientId"];
	        this.liveClientId = source["liveClientId"];
	        this.fromEnvironment = source["fromEnvironment"];
	        this.restartToApply = source["restartToApply"];
	        this.syncIntervalMinutes = source["syncIntervalMinutes"];
	    }
	}
	export class Spending {
	    months: Month[];
	    categories: Category[];
	
	    static createFrom(source: any = {}) {
	        return new Spending(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.months = this.convertValues(source["months"], Month);
	        this.categories = this.convertValues(source["categories"], Category);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Status {
	    environment: string;
	    builtin: boolean;
	    authUrl: string;
	    apiUrl: string;
	    clientId: string;
	    redirectUri: string;
	    keyring: string;
	    dataDir: string;
	    syncIntervalMinutes: number;
	    damaged: number;
	    damagedFile: boolean;
	    rules: Rules;
	
	    static createFrom(source: any = {}) {
	        return new Status(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.environment = source["environment"];
	        this.builtin = source["builtin"];
	        this.authUrl = source["authUrl"];
	        this.apiUrl = source["apiUrl"];
	        this.clientId = source["clientId"];
	        this.redirectUri = source["redirectUri"];
	        this.keyring = source["keyring"];
	        this.dataDir = source["dataDir"];
	        this.syncIntervalMinutes = source["syncIntervalMinutes"];
	        this.damaged = source["damaged"];
	        this.damagedFile = source["damagedFile"];
	        this.rules = this.convertValues(source["rules"], Rules);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	
	export class TxFilter {
	    accountIds: string[];
	    from: string;
	    to: string;
	    category: string;
	    status: string;
	    search: string;
	    offset: number;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new TxFilter(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.accountIds = source["accountIds"];
	        this.from = source["from"];
	        this.to = source["to"];
	        this.category = source["category"];
	        this.status = source["status"];
	        this.search = source["search"];
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	    }
	}
	export class TxTotals {
	    currency: string;
	    in: string;
	    out: string;
	    count: number;
	
	    static createFrom(source: any = {}) {
	        return new TxTotals(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.currency = source["currency"];
	        this.in = source["in"];
	        this.out = source["out"];
	        this.count = source["count"];
	    }
	}
	export class TxRow {
	    id: string;
	    accountId: string;
	    accountName: string;
	    bookingDate: string;
	    bookedAt: string;
	    description: string;
	    merchant: string;
	    category: string;
	    classification: string[];
	    amount: string;
	    currency: string;
	    type: string;
	    status: string;
	    runningBalance?: string;
	
	    static createFrom(source: any = {}) {
	        return new TxRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.accountId = source["accountId"];
	        this.accountName = source["accountName"];
	        this.bookingDate = source["bookingDate"];
	        this.bookedAt = source["bookedAt"];
	        this.description = source["description"];
	        this.merchant = source["merchant"];
	        this.category = source["category"];
	        this.classification = source["classification"];
	        this.amount = source["amount"];
	        this.currency = source["currency"];
	        this.type = source["type"];
	        this.status = source["status"];
	        this.runningBalance = source["runningBalance"];
	    }
	}
	export class TxPage {
	    rows: TxRow[];
	    total: number;
	    totals: TxTotals[];
	
	    static createFrom(source: any = {}) {
	        return new TxPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.rows = this.convertValues(source["rows"], TxRow);
	        this.total = source["total"];
	        this.totals = this.convertValues(source["totals"], TxTotals);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class VaultStatus {
	    ready: boolean;
	    needPassphrase: boolean;
	    newVault: boolean;
	    damaged: boolean;
	    message: string;
	    rules: Rules;
	
	    static createFrom(source: any = {}) {
	        return new VaultStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ready = source["ready"];
	        this.needPassphrase = source["needPassphrase"];
	        this.newVault = source["newVault"];
	        this.damaged = source["damaged"];
	        this.message = source["message"];
	        this.rules = this.convertValues(source["rules"], Rules);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

