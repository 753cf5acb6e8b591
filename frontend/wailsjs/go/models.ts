export namespace desk {
	
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
	    }
	}

}

