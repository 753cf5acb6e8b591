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
	export class VaultStatus {
	    ready: boolean;
	    needPassphrase: boolean;
	    newVault: boolean;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new VaultStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ready = source["ready"];
	        this.needPassphrase = source["needPassphrase"];
	        this.newVault = source["newVault"];
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
	export class Status {
	    environment: string;
	    builtin: boolean;
	    authUrl: string;
	    apiUrl: string;
	    clientId: string;
	    redirectUri: string;
	    keyring: string;
	    dataDir: string;
	
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
	    }
	}

}

