export namespace app {
	
	export class ConnectStart {
	    // Go type: time
	    expiresAt: any;
	
	    static createFrom(source: any = {}) {
	        return new ConnectStart(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.expiresAt = this.convertValues(source["expiresAt"], null);
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
	export class ConnectionView {
	    id: string;
	    provider_id: string;
	    provider_name: string;
	    status: string;
	    consent_created_at: string;
	    consent_expires_at: string;
	    refresh_deadline: string;
	    days_left: number;
	    last_synced_at?: string;
	    scopes: string[];
	    accounts: number;
	    unfinished: boolean;
	    history_from?: string;
	    history_limited: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ConnectionView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.provider_id = source["provider_id"];
	        this.provider_name = source["provider_name"];
	        this.status = source["status"];
	        this.consent_created_at = source["consent_created_at"];
	        this.consent_expires_at = source["consent_expires_at"];
	        this.refresh_deadline = source["refresh_deadline"];
	        this.days_left = source["days_left"];
	        this.last_synced_at = source["last_synced_at"];
	        this.scopes = source["scopes"];
	        this.accounts = source["accounts"];
	        this.unfinished = source["unfinished"];
	        this.history_from = source["history_from"];
	        this.history_limited = source["history_limited"];
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
	    account_id: string;
	    account_name: string;
	    booking_date: string;
	    booked_at: string;
	    description: string;
	    merchant: string;
	    category: string;
	    classification: string[];
	    amount: string;
	    currency: string;
	    type: string;
	    status: string;
	    running_balance?: string;
	
	    static createFrom(source: any = {}) {
	        return new TxRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.account_id = source["account_id"];
	        this.account_name = source["account_name"];
	        this.booking_date = source["booking_date"];
	        this.booked_at = source["booked_at"];
	        this.description = source["description"];
	        this.merchant = source["merchant"];
	        this.category = source["category"];
	        this.classification = source["classification"];
	        this.amount = source["amount"];
	        this.currency = source["currency"];
	        this.type = source["type"];
	        this.status = source["status"];
	        this.running_balance = source["running_balance"];
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
	    }
	}

}

export namespace desk {
	
	export class AccountView {
	    id: string;
	    connection_id: string;
	    provider_id: string;
	    kind: string;
	    type?: string;
	    display_name: string;
	    currency: string;
	    current?: string;
	    available?: string;
	    sort_code?: string;
	    number?: string;
	    iban?: string;
	    partial_card_number?: string;
	    balance_updated_at?: string;
	    history_from?: string;
	    history_limited?: boolean;
	    last_synced_at?: string;
	
	    static createFrom(source: any = {}) {
	        return new AccountView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.connection_id = source["connection_id"];
	        this.provider_id = source["provider_id"];
	        this.kind = source["kind"];
	        this.type = source["type"];
	        this.display_name = source["display_name"];
	        this.currency = source["currency"];
	        this.current = source["current"];
	        this.available = source["available"];
	        this.sort_code = source["sort_code"];
	        this.number = source["number"];
	        this.iban = source["iban"];
	        this.partial_card_number = source["partial_card_number"];
	        this.balance_updated_at = source["balance_updated_at"];
	        this.history_from = source["history_from"];
	        this.history_limited = source["history_limited"];
	        this.last_synced_at = source["last_synced_at"];
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
	    }
	}

}

export namespace ledger {
	
	export class Category {
	    name: string;
	    currency: string;
	    // Go type: decimal
	    out: any;
	    count: number;
	
	    static createFrom(source: any = {}) {
	        return new Category(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.currency = source["currency"];
	        this.out = this.convertValues(source["out"], null);
	        this.count = source["count"];
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
	export class Month {
	    month: string;
	    currency: string;
	    // Go type: decimal
	    in: any;
	    // Go type: decimal
	    out: any;
	
	    static createFrom(source: any = {}) {
	        return new Month(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.month = source["month"];
	        this.currency = source["currency"];
	        this.in = this.convertValues(source["in"], null);
	        this.out = this.convertValues(source["out"], null);
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

}

